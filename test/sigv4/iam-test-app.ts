// A small Nest app for the AWS_IAM e2e suites: @IamAuth() routes (GET, a JSON POST, a path
// parameter, a resource-policy-denied route), run on Express or Fastify (gateway-auth reads the
// bodies: no rawBody option).
import 'reflect-metadata';
import {
  Headers,
  Body,
  Controller,
  Get,
  Module,
  Param,
  Post,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  fixedClock,
  silentLogger,
  type CredentialDefinition,
  type GatewayAuthOptions,
} from 'api-gateway-auth';
import { AuthContext, GatewayAuthModule, IamAuth, Public } from 'api-gateway-auth/nest';

export const API = {
  region: 'us-east-1',
  accountId: '111122223333',
  apiId: 'petstore',
  stage: 'prod',
} as const;
export const NOW = new Date('2026-03-01T10:00:00Z');
const ARN = `arn:aws:execute-api:us-east-1:111122223333:petstore/prod`;

const allowInvoke = (resource: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resource }],
});

export const ALICE = {
  accessKeyId: 'AKIAALICE00000000001',
  secretAccessKey: 'alice-secret-key-0000000000000000000000',
};
export const BOB = {
  accessKeyId: 'ASIABOB0000000000001',
  secretAccessKey: 'bob-secret-key-00000000000000000000000',
  sessionToken: 'FwoGZXIvYXdzEBob/session+token==',
};
export const CAROL = {
  accessKeyId: 'AKIACAROL00000000001',
  secretAccessKey: 'carol-secret-key-000000000000000000000',
};
export const DAVE = {
  accessKeyId: 'AKIADAVE000000000001',
  secretAccessKey: 'dave-secret-key-0000000000000000000000',
};

/** alice: same-account user allowed everywhere; bob: role session (GET only); carol: another
 * account; dave: no policy. */
export const CREDENTIALS: CredentialDefinition[] = [
  {
    ...ALICE,
    principal: {
      arn: 'arn:aws:iam::111122223333:user/alice',
      userId: 'AIDAALICEEXAMPLE',
      tags: { team: 'pets' },
    },
    policies: [allowInvoke(`${ARN}/*`)],
  },
  {
    ...BOB,
    principal: { arn: 'arn:aws:sts::111122223333:assumed-role/reader/bob-session' },
    policies: [allowInvoke(`${ARN}/GET/*`)],
  },
  {
    ...CAROL,
    principal: { arn: 'arn:aws:iam::444455556666:user/carol' },
    policies: [allowInvoke('*')],
  },
  { ...DAVE, principal: { arn: 'arn:aws:iam::111122223333:user/dave' } },
];

/** Denies everyone on /forbidden; lets account 444455556666 GET /pets (RP-06 Table B). */
export const RESOURCE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `${ARN}/*/forbidden`,
    },
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'execute-api:Invoke',
      Resource: `${ARN}/GET/pets`,
    },
  ],
};

@Controller()
export class PetsController {
  @IamAuth()
  @Get('pets')
  list(
    @AuthContext() auth: AuthContext,
    @Headers() headers: Record<string, string | undefined>,
  ): unknown {
    // PIPE-09: the handler (API Gateway's integration) never sees the SigV4 Authorization header,
    // nor an identity proof or VPC Lattice's identity headers.
    return {
      pets: [],
      auth,
      authorizationHeaderSeen: headers.authorization !== undefined,
      identityHeadersSeen: Object.keys(headers).filter(
        (name) => name === 'x-gateway-auth-identity' || name.startsWith('x-amzn-lattice-'),
      ),
    };
  }

  @IamAuth()
  @Get('pets/:id')
  get(@Param('id') id: string): unknown {
    return { id };
  }

  @IamAuth()
  @Post('pets')
  create(@Body() body: unknown, @AuthContext() auth: AuthContext): unknown {
    return { created: body, auth };
  }

  @IamAuth()
  @Get('forbidden')
  forbidden(): unknown {
    return { reached: true };
  }

  @Public()
  @Get('health')
  health(): unknown {
    return { ok: true };
  }
}

/** The module under test, with `overrides` merged into the gateway-auth options. */
export function iamTestModule(overrides: Partial<GatewayAuthOptions> = {}): DynamicModule {
  @Module({})
  class IamTestModule {}
  return {
    module: IamTestModule,
    imports: [
      GatewayAuthModule.forRoot({
        api: { ...API },
        resourcePolicy: RESOURCE_POLICY,
        iam: { credentials: CREDENTIALS },
        clock: fixedClock(NOW.getTime()),
        logger: silentLogger,
        ...overrides,
      }),
    ],
    controllers: [PetsController],
  };
}

export type Platform = 'express' | 'fastify';

export interface RunningApp {
  app: INestApplication;
  url: string;
  host: string;
  close(): Promise<void>;
}

/** Starts the module on 127.0.0.1:<free port>. */
export async function startIamApp(
  platform: Platform,
  overrides: Partial<GatewayAuthOptions> = {},
): Promise<RunningApp> {
  const module = iamTestModule(overrides);
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const host = `127.0.0.1:${port}`;
  return { app, url: `http://${host}`, host, close: () => app.close() };
}
