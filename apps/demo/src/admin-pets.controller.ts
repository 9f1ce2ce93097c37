import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { IamAuth, IamAuthContext } from 'api-gateway-auth/nest';
import { PetStore, type Pet } from './pet-store';
import type { DemoResponse } from './pets.controller';

/**
 * The internal admin API other AWS services call with SigV4 (`AWS_IAM`): the caller's identity
 * policies and the API's resource policy decide per route (RP-06).
 */
@IamAuth()
@Controller('admin/pets')
export class AdminPetsController {
  constructor(private readonly store: PetStore) {}

  @Get()
  list(@IamAuthContext() auth: IamAuthContext): DemoResponse<Pet[]> {
    return { data: this.store.list(), authContext: auth };
  }

  @Get(':id')
  get(@Param('id') id: string, @IamAuthContext() auth: IamAuthContext): DemoResponse<Pet> {
    return { data: this.store.get(id), authContext: auth };
  }

  @Post()
  create(@Body() body: unknown, @IamAuthContext() auth: IamAuthContext): DemoResponse<Pet> {
    return { data: this.store.create(body), authContext: auth };
  }
}
