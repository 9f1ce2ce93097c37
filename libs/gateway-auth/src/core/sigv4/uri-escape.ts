const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/**
 * RFC 3986 encoding as SigV4 defines it: every byte except the unreserved set `A-Z a-z 0-9 - . _ ~`
 * becomes `%XX` (upper-case hex) of its UTF-8 encoding; spaces are `%20`, never `+` (SIG-05).
 * @throws URIError when `text` holds a lone surrogate (callers treat it as a signature mismatch).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function uriEscape(text: string): string {
  if (UNRESERVED.test(text)) return text;
  return encodeURIComponent(text).replace(/[!'()*]/g, hexEscape);
}

/** Decodes `%XX` sequences; a malformed sequence leaves the text as sent (it is re-encoded later). */
export function safeDecode(text: string): string {
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hexEscape(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
}
