import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';

/** What came back from STS, read within the limits. */
export interface StsHttpResponse {
  status: number;
  /** `Content-Type`, when sent. */
  contentType: string | undefined;
  body: string;
}

/** Limits on one STS call. */
export interface StsCallLimits {
  /** Whole-call deadline (connect, send, headers, body), milliseconds. */
  timeoutMs: number;
  /** Largest answer accepted, bytes. */
  maxResponseBytes: number;
}

/** Keep-alive agents for STS calls, one pair per proof source (closed with it). */
export class StsAgents {
  readonly http = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

  destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * POSTs `body` with exactly `headers` to `url` with node's http(s): no redirects are followed (a
 * 3xx is just a status), TLS certificates are verified (https), the whole call has a deadline and
 * the answer a size cap.
 * @throws Error on network failure, deadline or an oversized answer (never with the body's text).
 */
export function postToSts(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
  limits: StsCallLimits,
  agents: StsAgents,
): Promise<StsHttpResponse> {
  return new Promise<StsHttpResponse>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (error: Error | undefined, response?: StsHttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response as StsHttpResponse);
    };
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? undefined : Number(url.port),
        path: '/',
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: secure ? agents.https : agents.http,
        // Certificates are checked against the host we connect to (the endpoint), not `Host`.
        servername: secure ? url.hostname : undefined,
      },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > limits.maxResponseBytes) {
          finish(new Error(`STS answer of ${declared} bytes exceeds ${limits.maxResponseBytes}`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > limits.maxResponseBytes) {
            finish(new Error(`STS answer exceeds ${limits.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(undefined, {
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (error) => finish(error));
        res.on('aborted', () => finish(new Error('STS answer aborted')));
      },
    );
    const timer = setTimeout(
      () => finish(new Error(`STS did not answer within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    timer.unref();
    req.on('error', (error) => finish(error));
    req.end(body);
  });
}
