/**
 * The IAM condition keys of a caller that is not SigV4-signed (the anonymous principal of
 * authorizer and resource policies).
 */
import type { ContextValue } from '../iam';
import type { RequestView } from './request-view';

/**
 * The IAM condition keys an authorizer-returned or resource policy can test for a caller that is not
 * SigV4-signed (RP-08, RP-10): time, source IP, TLS, user agent, referer; the principal is
 * `anonymous`.
 */
export function anonymousConditionContext(view: RequestView): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {
    'aws:CurrentTime': new Date(view.now).toISOString().slice(0, 19) + 'Z',
    'aws:EpochTime': String(Math.floor(view.now / 1000)),
    'aws:SourceIp': view.request.sourceIp,
    'aws:SecureTransport': view.request.secure ? 'true' : 'false',
    'aws:PrincipalAccount': 'anonymous',
    'aws:userid': 'anonymous',
  };
  const userAgent = view.header('user-agent');
  if (userAgent !== undefined) context['aws:UserAgent'] = userAgent;
  const referer = view.header('referer');
  if (referer !== undefined) context['aws:Referer'] = referer;
  return context;
}
