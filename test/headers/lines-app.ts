// What the header-lines suites share: the API, the clock, a SigV4 caller, a Cognito pool, and a Nest
// app listening on Express or Fastify whose host is known (SigV4 signs it). Requests themselves are
// written line by line with `sendLines` (test/helpers/raw-header-lines.ts).
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mint, newKey } from '../cognito/helpers/tokens';
import { signWithSmithy, type TestCredentials } from '../sigv4/sign-request';

/** Header lines in the order they are sent: `[name, value]`. */
export type Lines = Array<[string, string]>;

export const NOW = new Date('2026-03-01T10:00:00Z');
export const API = {
  region: 'us-east-1',
  accountId: '111122223333',
  apiId: 'petstore',
  stage: 'prod',
} as const;
export const ARN = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';

export const ALICE: TestCredentials = {
  accessKeyId: 'AKIAALICE00000000001',
  secretAccessKey: 'alice-secret-key-0000000000000000000000',
};
export const ALICE_ARN = 'arn:aws:iam::111122223333:user/alice';
export const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` }],
};

/** A user pool whose tokens are signed by `key` (app client `c1`). */
export function pool(id: string) {
  const key = newKey(`${id}-key`);
  const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${id}`;
  const nowS = NOW.getTime() / 1000;
  return {
    id,
    key,
    /** An ID token of user `u1` for app client `c1`, valid at {@link NOW}. */
    idToken: () =>
      mint(key, { sub: 'u1', aud: 'c1', iss: issuer, token_use: 'id', iat: nowS, exp: nowS + 300 }),
  };
}

/** The lines of a GET of `path` signed by `credentials` for `host` (SigV4, header form). */
export async function signedLines(
  host: string,
  path: string,
  credentials: TestCredentials = ALICE,
  headers: Record<string, string> = {},
): Promise<Lines> {
  const signed = await signWithSmithy(
    { method: 'GET', host, path, date: NOW, headers },
    credentials,
  );
  return Object.entries(signed.headers).map(([n, v]) => [n, v]);
}

/** A running app of `module` on `platform`, on a free loopback port. */
export interface LinesApp {
  app: INestApplication;
  url: string;
  /** `127.0.0.1:<port>`, as signed in `Host`. */
  host: string;
}

export async function listenLinesApp(
  module: Type<unknown>,
  platform: 'express' | 'fastify',
): Promise<LinesApp> {
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const host = `127.0.0.1:${port}`;
  return { app, url: `http://${host}`, host };
}
