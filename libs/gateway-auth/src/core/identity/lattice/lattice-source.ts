import { AuthError, ConfigError, type ConfigIssue } from '../../errors';
import type { SharedServices } from '../../authenticator';
import { BoundedMemo } from '../../bounded-memo';
import type { HttpRequest } from '../../http-request';
import { principalFromArn } from '../../sigv4/principal-from-arn';
import { missingAuthenticationToken } from '../../sigv4/sigv4-errors';
import { createTrustedProxies, type TrustedProxies } from '../../source-ip';
import type {
  IdentityPolicyResolver,
  ResolvedPolicies,
} from '../iam-policies/identity-policy-resolver';
import type { CallerAccess, IdentitySource } from '../identity-source';
import { accessWithPolicies, type HeldCaller } from '../verified-caller';
import {
  LATTICE_IDENTITY_HEADER,
  LATTICE_NETWORK_HEADER,
  LATTICE_TARGET_HEADER,
  parseLatticeHeader,
} from './lattice-headers';

/**
 * VPC Lattice in front of the service (the `iam.lattice` options): Lattice (service auth type
 * `AWS_IAM`) verifies the caller's SigV4 signature and passes its identity in headers, which are
 * believed only from `trustedPeers` and only for the configured service or target group.
 * @see https://docs.aws.amazon.com/vpc-lattice/latest/ug/http-targets.html
 */
export interface LatticeOptions {
  /**
   * Addresses or CIDR blocks of the peers that are VPC Lattice: the CIDRs of the managed prefix
   * lists `com.amazonaws.<region>.vpc-lattice` / `.ipv6.vpc-lattice` (or the subnets of an ALB only
   * Lattice can reach). Checked against the socket peer, never `X-Forwarded-For`.
   */
  trustedPeers: readonly string[];
  /** Lattice service ARNs this service is a target of (`x-amzn-lattice-target` `ServiceArn`). */
  serviceArns?: readonly string[];
  /** Lattice target group ARNs (`x-amzn-lattice-target` `TargetGroupArn`). */
  targetGroupArns?: readonly string[];
  /** When set, only callers from these VPCs (`x-amzn-lattice-network` `SourceVpcArn`). */
  sourceVpcArns?: readonly string[];
}

const LATTICE_ARN = /^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:(service|targetgroup)\/[\w-]+$/;

/**
 * The `lattice` identity source: a request from a trusted Lattice peer carrying
 * `x-amzn-lattice-identity`. Checks that each Lattice header came once and that the request was
 * meant for one of the configured services or target groups, then takes `Principal` (and
 * `PrincipalOrgID`) as the caller, whose identity policies are read from IAM as for a proof.
 */
export class LatticeSource implements IdentitySource {
  readonly name = 'lattice';
  private readonly peers: TrustedProxies;
  private readonly serviceArns: ReadonlySet<string>;
  private readonly targetGroupArns: ReadonlySet<string>;
  private readonly sourceVpcArns: ReadonlySet<string> | undefined;
  private readonly callers = new BoundedMemo<string, HeldCaller>(10_000);

  /** @throws ConfigError naming each invalid `iam.lattice.*` option. */
  constructor(
    options: LatticeOptions,
    private readonly shared: SharedServices,
    private readonly policies: IdentityPolicyResolver,
  ) {
    const issues: ConfigIssue[] = [];
    let peers: TrustedProxies | undefined;
    if (!Array.isArray(options.trustedPeers) || options.trustedPeers.length === 0) {
      issues.push({
        path: 'iam.lattice.trustedPeers',
        message:
          "required: the CIDRs of the VPC Lattice managed prefix lists (e.g. '169.254.171.0/24')",
      });
    } else {
      try {
        peers = createTrustedProxies(options.trustedPeers);
      } catch (error) {
        issues.push({
          path: 'iam.lattice.trustedPeers',
          message: (error as Error).message.replace('trustedProxies: ', ''),
        });
      }
    }
    const arns = (
      name: 'serviceArns' | 'targetGroupArns' | 'sourceVpcArns',
      pattern: RegExp,
    ): Set<string> => {
      const list = (options[name] ?? []) as unknown;
      if (!Array.isArray(list)) {
        issues.push({ path: `iam.lattice.${name}`, message: 'must be an array of ARNs' });
        return new Set();
      }
      list.forEach((arn: unknown, i) => {
        if (typeof arn !== 'string' || !pattern.test(arn)) {
          issues.push({
            path: `iam.lattice.${name}[${i}]`,
            message: `not a ${name === 'sourceVpcArns' ? 'VPC' : 'VPC Lattice'} ARN`,
          });
        }
      });
      return new Set(list as string[]);
    };
    this.serviceArns = arns('serviceArns', LATTICE_ARN);
    this.targetGroupArns = arns('targetGroupArns', LATTICE_ARN);
    const vpcs = arns('sourceVpcArns', /^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\d{12}:vpc\/vpc-[0-9a-f]+$/);
    this.sourceVpcArns = options.sourceVpcArns === undefined ? undefined : vpcs;
    if (this.serviceArns.size === 0 && this.targetGroupArns.size === 0) {
      issues.push({
        path: 'iam.lattice.serviceArns',
        message:
          'required (or targetGroupArns): the Lattice services whose identity headers are believed',
      });
    }
    if (issues.length > 0 || peers === undefined)
      throw new ConfigError('gateway-auth options', issues);
    this.peers = peers;
  }

  /** A trusted peer (the socket's, never `X-Forwarded-For`) sending Lattice's identity header. */
  claims(request: HttpRequest): boolean {
    if (request.headers[LATTICE_IDENTITY_HEADER] === undefined) return false;
    const peer = request.peerAddress;
    return peer !== undefined && this.peers.contains(peer);
  }

  resolve(request: HttpRequest): CallerAccess | Promise<CallerAccess> {
    const identity = this.single(request, LATTICE_IDENTITY_HEADER);
    this.checkTarget(request);
    const fields = parseLatticeHeader(identity);
    if (fields === undefined) throw untrusted('x-amzn-lattice-identity is not a key=value; map');
    const principalArn = fields.get('principal') ?? '';
    // No principal: Lattice did not authenticate the caller (auth type NONE, or anonymous).
    if (principalArn === '') throw missingAuthenticationToken();
    const orgId = fields.get('principalorgid') || undefined;
    const key = `${principalArn}\n${orgId ?? ''}`;
    let held = this.callers.get(key);
    if (held === undefined) {
      const parsed = principalFromArn(principalArn);
      if (parsed === undefined)
        throw untrusted('x-amzn-lattice-identity Principal is not a principal ARN');
      held = {
        caller: {
          source: 'lattice',
          parsed,
          userId: undefined,
          accessKeyId: null,
          temporaryCredentials: parsed.type !== 'User',
          orgId,
        },
        access: undefined,
      };
      this.callers.set(key, held);
    }
    const found = this.policies.peek(held.caller.parsed);
    const caller = held;
    if (found !== undefined) return this.attach(caller, found);
    return this.policies.resolve(held.caller.parsed).then((p) => this.attach(caller, p));
  }

  private attach(held: HeldCaller, policies: ResolvedPolicies): CallerAccess {
    return accessWithPolicies(held, policies, this.shared);
  }

  /** The request was meant for one of ours: service or target group, and an allowed VPC. */
  private checkTarget(request: HttpRequest): void {
    const target = parseLatticeHeader(this.single(request, LATTICE_TARGET_HEADER));
    if (target === undefined) throw untrusted('x-amzn-lattice-target is not a key=value; map');
    const service = target.get('servicearn') ?? '';
    const group = target.get('targetgrouparn') ?? '';
    if (!this.serviceArns.has(service) && !this.targetGroupArns.has(group)) {
      throw untrusted(
        `Lattice target ${service.slice(0, 200)} / ${group.slice(0, 200)} is not configured`,
      );
    }
    if (this.sourceVpcArns !== undefined) {
      const network = parseLatticeHeader(this.single(request, LATTICE_NETWORK_HEADER));
      const vpc = network?.get('sourcevpcarn') ?? '';
      if (!this.sourceVpcArns.has(vpc))
        throw untrusted(`source VPC ${vpc.slice(0, 200)} is not allowed`);
    }
  }

  private single(request: HttpRequest, name: string): string {
    const value = request.headers[name];
    if (typeof value !== 'string') {
      throw untrusted(
        value === undefined ? `${name} is missing` : `${name} was sent more than once`,
      );
    }
    return value;
  }
}

/** Lattice headers that are not what a configured Lattice service sends: SIG-25's answer. */
function untrusted(reason: string): AuthError {
  return new AuthError('LATTICE_IDENTITY_REFUSED', {
    responseType: 'ACCESS_DENIED',
    message: 'The security token included in the request is invalid.',
    reason,
  });
}
