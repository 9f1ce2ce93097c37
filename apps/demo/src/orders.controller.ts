import { Controller, Get, HttpException, HttpStatus, Param } from '@nestjs/common';
import { CustomAuthContext, CustomAuthorizer } from 'api-gateway-auth/nest';
import type { DemoResponse } from './pets.controller';

/** An order of the demo store. */
export interface Order {
  id: number;
  petId: number;
  quantity: number;
  status: 'placed' | 'shipped';
}

const ORDERS: readonly Order[] = [
  { id: 1, petId: 1, quantity: 1, status: 'shipped' },
  { id: 2, petId: 3, quantity: 12, status: 'placed' },
];

/** Orders, guarded by the `orders` Lambda authorizer of type `TOKEN` (the `Authorization` header). */
@CustomAuthorizer('orders')
@Controller('orders')
export class OrdersController {
  @Get()
  list(@CustomAuthContext() auth: CustomAuthContext): DemoResponse<readonly Order[]> {
    return { data: ORDERS, authContext: auth };
  }

  @Get(':id')
  get(@Param('id') id: string, @CustomAuthContext() auth: CustomAuthContext): DemoResponse<Order> {
    const order = ORDERS.find((o) => String(o.id) === id);
    if (!order) throw new HttpException({ message: 'Order not found' }, HttpStatus.NOT_FOUND);
    return { data: order, authContext: auth };
  }
}
