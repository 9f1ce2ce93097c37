import { AuthError } from './errors';
import { GATEWAY_RESPONSE_DEFAULTS, renderGatewayResponse } from './gateway-responses';

const unauthorized = new AuthError('TOKEN_INVALID', {
  responseType: 'UNAUTHORIZED',
  message: 'Unauthorized',
  reason: 'bad signature',
});
const explicitDeny = new AuthError('ACCESS_DENIED_EXPLICIT', {
  responseType: 'ACCESS_DENIED',
  message: 'User is not authorized to access this resource with an explicit deny',
  bodyKey: 'Message',
  reason: 'authorizer returned Deny',
});
const configError = new AuthError('AUTHORIZER_ERROR', {
  responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
  message: null,
  reason: 'function threw',
  category: 'infrastructure',
});

describe('gateway responses (GR-01..GR-09)', () => {
  it('uses the default status and x-amzn-ErrorType of the type (GR-01, GR-06)', () => {
    const r = renderGatewayResponse(unauthorized);
    expect(r.statusCode).toBe(401);
    expect(r.headers['x-amzn-ErrorType']).toBe('UnauthorizedException');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toBe('{"message":"Unauthorized"}');
  });

  it('keeps the Message casing of IAM-evaluated denials (GR-09)', () => {
    expect(renderGatewayResponse(explicitDeny).body).toBe(
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    );
  });

  it('renders a null message as API Gateway does for authorizer errors (LO-05)', () => {
    const r = renderGatewayResponse(configError);
    expect(r.statusCode).toBe(500);
    expect(r.body).toBe('{"message": null}');
    expect(r.headers['x-amzn-ErrorType']).toBe('AuthorizerConfigurationException');
  });

  it('lets an error override the ErrorType header (SIG-21)', () => {
    const e = new AuthError('INCOMPLETE_SIGNATURE', {
      responseType: 'INVALID_SIGNATURE',
      errorType: 'IncompleteSignatureException',
      message: 'x',
      reason: 'parse',
    });
    expect(renderGatewayResponse(e).headers['x-amzn-ErrorType']).toBe(
      'IncompleteSignatureException',
    );
  });

  it('applies a customised response type: status, headers, template (GR-05)', () => {
    const r = renderGatewayResponse(
      unauthorized,
      {
        UNAUTHORIZED: {
          statusCode: 403,
          headers: { 'access-control-allow-origin': '*' },
          bodyTemplate:
            '{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId"}',
        },
      },
      { requestId: 'req-1' },
    );
    expect(r.statusCode).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(r.body)).toEqual({
      error: 'Unauthorized',
      type: 'UNAUTHORIZED',
      id: 'req-1',
    });
    expect(r.headers['x-amzn-RequestId']).toBe('req-1');
  });

  it('falls back to DEFAULT_4XX / DEFAULT_5XX for uncustomised types (GR-02, GR-03)', () => {
    const overrides = {
      DEFAULT_4XX: { headers: { 'x-default': '4' } },
      DEFAULT_5XX: { statusCode: 502 },
    };
    expect(renderGatewayResponse(unauthorized, overrides).headers['x-default']).toBe('4');
    expect(renderGatewayResponse(unauthorized, overrides).statusCode).toBe(401);
    expect(renderGatewayResponse(configError, overrides).statusCode).toBe(502);
  });

  it('escapes template substitutions so bodies stay valid JSON', () => {
    const e = new AuthError('X', {
      responseType: 'ACCESS_DENIED',
      message: 'say "hi"\n',
      reason: 'r',
    });
    const r = renderGatewayResponse(e, {
      ACCESS_DENIED: { bodyTemplate: '{"m":"$context.error.message"}' },
    });
    expect(JSON.parse(r.body)).toEqual({ m: 'say "hi"\n' });
  });

  it('substitutes authorizer context values on ACCESS_DENIED (GR-05)', () => {
    const r = renderGatewayResponse(
      explicitDeny,
      { ACCESS_DENIED: { bodyTemplate: '{"reason":"$context.authorizer.why"}' } },
      { authorizer: { why: 'suspended' } },
    );
    expect(r.body).toBe('{"reason":"suspended"}');
  });

  it('defines every documented type with a 4xx/5xx status', () => {
    for (const [type, d] of Object.entries(GATEWAY_RESPONSE_DEFAULTS)) {
      expect([400, 401, 403, 404, 413, 415, 429, 500, 504]).toContain(d.status);
      expect(d.errorType).toMatch(/Exception$/);
      expect(type).toMatch(/^[A-Z_0-9]+$/);
    }
  });
});
