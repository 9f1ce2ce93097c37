// CognitoJwtStrategy (passport-jwt's face, the core's verification) on plain Express: ID tokens
// accepted, API Gateway's refusals written by gatewayAuthErrorHandler, passport-jwt extractors
// honoured.
import express from 'express';
import type { Server } from 'node:http';
import passport from 'passport';
import { ExtractJwt } from 'passport-jwt';
import request from 'supertest';
import { GatewayAuth, silentLogger } from 'api-gateway-auth';
import { gatewayAuthErrorHandler } from 'api-gateway-auth/express';
import { CognitoJwtStrategy } from 'api-gateway-auth/passport';
import { mint, newKey, StaticKeySource } from './helpers/tokens';

const POOL = 'us-east-1_Passport1';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const key = newKey('k1');

describe('CognitoJwtStrategy (passport) on Express', () => {
  let server: Server;
  let url: string;
  const gatewayAuth = new GatewayAuth({
    api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
    logger: silentLogger,
    cognito: {
      userPools: [{ userPoolId: POOL, clientIds: ['c1'], keySource: new StaticKeySource([key]) }],
    },
  });
  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: 'u1', aud: 'c1', iss: ISS, token_use: 'id', iat: now, exp: now + 300 };
  };

  beforeAll(async () => {
    passport.use(new CognitoJwtStrategy(gatewayAuth));
    passport.use(
      new CognitoJwtStrategy(
        gatewayAuth,
        {},
        {
          name: 'cognito-query',
          jwtFromRequest: ExtractJwt.fromUrlQueryParameter('token'),
        },
      ),
    );
    const app = express();
    app.get('/me', passport.authenticate('cognito-jwt', { session: false }), (req, res) => {
      res.json({ user: req.user });
    });
    app.get('/q', passport.authenticate('cognito-query', { session: false }), (req, res) => {
      res.json({ user: req.user });
    });
    app.use(gatewayAuthErrorHandler(gatewayAuth));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await gatewayAuth.close();
  });

  it('puts the caller context on req.user', async () => {
    const res = await request(url)
      .get('/me')
      .set('authorization', await mint(key, claims()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { type: 'COGNITO_USER_POOLS', claims: { sub: 'u1' } } });
  });

  it('writes API Gateway refusals (401 Unauthorized)', async () => {
    const res = await request(url).get('/me').set('authorization', 'nope');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
    expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
  });

  it('honours passport-jwt extractors', async () => {
    const token = await mint(key, claims());
    expect((await request(url).get(`/q?token=${token}`)).status).toBe(200);
    expect((await request(url).get('/q').set('authorization', token)).status).toBe(401);
  });
});

describe('CognitoJwtStrategy with an extractor keeps the rest of the request', () => {
  // The extractor replaces the token header; the source IP, TLS flag and raw headers of the request
  // must survive, or a resource policy denying by IP would see no aws:SourceIp and not apply.
  let server: Server;
  let url: string;
  const gatewayAuth = new GatewayAuth({
    api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
    logger: silentLogger,
    resourcePolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/*',
          Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } },
        },
      ],
    },
    cognito: {
      userPools: [{ userPoolId: POOL, clientIds: ['c1'], keySource: new StaticKeySource([key]) }],
    },
  });

  beforeAll(async () => {
    const app = express();
    const strategy = new CognitoJwtStrategy(
      gatewayAuth,
      {},
      { name: 'cognito-query-denied', jwtFromRequest: ExtractJwt.fromUrlQueryParameter('token') },
    );
    app.get('/q', passport.authenticate(strategy, { session: false }), (req, res) => {
      res.json({ user: req.user });
    });
    app.use(gatewayAuthErrorHandler(gatewayAuth));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await gatewayAuth.close();
  });

  it('a resource policy denying the caller’s IP denies a token found by the extractor', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mint(key, {
      sub: 'u1',
      aud: 'c1',
      iss: ISS,
      token_use: 'id',
      iat: now,
      exp: now + 300,
    });
    const res = await request(url).get(`/q?token=${token}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      Message:
        'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/q with an explicit deny in a resource-based policy',
    });
  });
});
