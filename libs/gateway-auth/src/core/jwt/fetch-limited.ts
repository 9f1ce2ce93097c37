/** Limits applied to every key fetch. */
export interface FetchLimits {
  /** Whole-request deadline (connect, headers and body), milliseconds. */
  timeoutMs: number;
  /** Largest body accepted, bytes; larger answers are aborted while streaming. */
  maxBytes: number;
  /** Aborts the fetch early (on close). */
  signal?: AbortSignal;
}

/**
 * GETs `url` and returns its body as text, failing on a non-200 status, a timeout or an oversized
 * body. Used for JWKS documents and ALB public keys, so a slow or hostile endpoint cannot hold a
 * request or fill memory.
 * @throws Error describing the failure (never containing response content).
 */
export async function fetchLimited(url: string, limits: FetchLimits): Promise<string> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  timer.unref();
  const onOuterAbort = (): void => controller.abort();
  limits.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      redirect: 'error',
      headers: { accept: 'application/json, application/x-pem-file, text/plain' },
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`body of ${declared} bytes exceeds ${limits.maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        total += chunk.byteLength;
        if (total > limits.maxBytes) {
          controller.abort();
          throw new Error(`body exceeds ${limits.maxBytes} bytes`);
        }
        chunks.push(chunk);
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (timedOut) {
      throw new Error(`timed out after ${limits.timeoutMs} ms`, { cause: error });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onOuterAbort);
  }
}
