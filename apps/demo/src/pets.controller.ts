import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  CognitoAuth,
  CognitoAuthContext,
  IamAuth,
  IamAuthContext,
  type AuthContext,
} from 'api-gateway-auth/nest';
import { PetStore, type Pet } from './pet-store';

/** What every demo handler answers: its data and the caller's context as the handler saw it. */
export interface DemoResponse<T> {
  data: T;
  authContext: AuthContext;
}

/**
 * The public-facing pets API, guarded by Cognito user pools as API Gateway's `COGNITO_USER_POOLS`
 * authorizer would: no scopes → ID tokens (COG-02); scopes → access tokens holding one (COG-03).
 * `DELETE /pets/{id}` is for other AWS services, so it is signed with SigV4 (`AWS_IAM`).
 */
@Controller('pets')
export class PetsController {
  constructor(private readonly store: PetStore) {}

  @CognitoAuth()
  @Get()
  list(@CognitoAuthContext() auth: CognitoAuthContext): DemoResponse<Pet[]> {
    return { data: this.store.list(), authContext: auth };
  }

  @CognitoAuth({ scopes: ['pets/read'] })
  @Get(':id')
  get(@Param('id') id: string, @CognitoAuthContext() auth: CognitoAuthContext): DemoResponse<Pet> {
    return { data: this.store.get(id), authContext: auth };
  }

  @CognitoAuth({ scopes: ['pets/write'] })
  @Post()
  create(@Body() body: unknown, @CognitoAuthContext() auth: CognitoAuthContext): DemoResponse<Pet> {
    return { data: this.store.create(body), authContext: auth };
  }

  @IamAuth()
  @Delete(':id')
  remove(@Param('id') id: string, @IamAuthContext() auth: IamAuthContext): DemoResponse<Pet> {
    return { data: this.store.remove(id), authContext: auth };
  }
}
