import { presentsSigV4 } from './presents-sigv4';

describe('presentsSigV4', () => {
  const header =
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

  it('sees the header form', () => {
    expect(presentsSigV4(header, '')).toBe(true);
    expect(presentsSigV4(`  ${header}`, 'a=1')).toBe(true);
    expect(presentsSigV4(['Bearer x', header], '')).toBe(true);
  });

  it('sees the presigned form, its parameter name literal or percent-encoded', () => {
    expect(presentsSigV4(undefined, 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=1')).toBe(
      true,
    );
    expect(presentsSigV4(undefined, 'a=1&X%2DAmz%2DAlgorithm=AWS4-HMAC-SHA256')).toBe(true);
  });

  it('sees nothing on requests that present no SigV4 signature', () => {
    expect(presentsSigV4(undefined, '')).toBe(false);
    expect(presentsSigV4('Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig', '')).toBe(false);
    expect(presentsSigV4('allow', 'q=caf%C3%A9')).toBe(false);
    expect(presentsSigV4([], 'x-amz-algorithm=AWS4-HMAC-SHA256')).toBe(false);
  });
});
