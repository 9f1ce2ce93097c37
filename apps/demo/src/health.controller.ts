import { Controller, Get } from '@nestjs/common';

/** `GET /health`: public, for the ALB target group health check. */
@Controller()
export class HealthController {
  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }
}
