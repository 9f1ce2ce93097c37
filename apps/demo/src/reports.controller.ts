import { Controller, Get } from '@nestjs/common';
import { CustomAuthContext, CustomAuthorizer } from 'api-gateway-auth/nest';
import { PetStore } from './pet-store';
import type { DemoResponse } from './pets.controller';

/** Sales report of the demo store. */
export interface Report {
  pets: number;
  stockValue: number;
}

/**
 * Reports, guarded by the `reports` Lambda authorizer of type `REQUEST` (a header and a query
 * parameter are its identity sources, LR-02).
 */
@Controller('reports')
export class ReportsController {
  constructor(private readonly store: PetStore) {}

  @CustomAuthorizer('reports')
  @Get()
  summary(@CustomAuthContext() auth: CustomAuthContext): DemoResponse<Report> {
    const pets = this.store.list();
    const stockValue = Math.round(pets.reduce((sum, p) => sum + p.price, 0) * 100) / 100;
    return { data: { pets: pets.length, stockValue }, authContext: auth };
  }
}
