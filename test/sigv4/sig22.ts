// Reads the two texts API Gateway's signature-mismatch body echoes (SIG-22), so a test can check
// what the server computed: the canonical request and the string to sign.
import { createHash } from 'node:crypto';

const CANONICAL = "\n\nThe Canonical String for this request should have been\n'";
const STRING_TO_SIGN = "'\n\nThe String-to-Sign should have been\n'";

/** The canonical request and string to sign of a SIG-22 message. */
export function sig22Parts(message: string): { canonicalRequest: string; stringToSign: string } {
  const start = message.indexOf(CANONICAL);
  const middle = message.indexOf(STRING_TO_SIGN);
  if (start === -1 || middle === -1 || !message.endsWith("'\n")) {
    throw new Error(`not a SIG-22 message with the canonical request: ${message.slice(0, 200)}`);
  }
  return {
    canonicalRequest: message.slice(start + CANONICAL.length, middle),
    stringToSign: message.slice(middle + STRING_TO_SIGN.length, -2),
  };
}

/** Lowercase hex SHA-256 of a text (UTF-8). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
