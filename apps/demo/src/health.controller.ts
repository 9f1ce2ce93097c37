import { Controller, Get } from '@nestjs/common';
import { Public } from 'api-gateway-auth/nest';

/** `GET /health`: public, for the ALB target group and the container health check. */
@Controller()
export class HealthController {
  @Public()
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}
