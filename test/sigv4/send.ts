import request from 'supertest';
import type { SignedRequest } from './sign-request';

/** Sends a signed request with supertest, exactly as signed (headers, body, raw path and query). */
export function send(baseUrl: string, signed: SignedRequest): request.Test {
  const agent = request(baseUrl);
  const method = signed.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch';
  let test = agent[method](signed.url);
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() === 'content-length') continue; // superagent computes the same value
    test = test.set(name, value);
  }
  if (signed.body !== undefined) test = test.send(signed.body);
  return test;
}
