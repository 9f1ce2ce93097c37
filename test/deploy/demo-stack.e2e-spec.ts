/**
 * The CDK app of the demo deployment (issue 6 item 4), synthesized offline and asserted with
 * `aws-cdk-lib/assertions`: Fargate behind an ALB with the `/health` health check, configuration
 * from CloudFormation parameters and Secrets Manager, ElastiCache Redis for the shared authorizer
 * cache, an optional Cognito user pool.
 */
import { App, aws_ecs as ecs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DemoServiceStack,
  demoImageFromRepository,
  type DemoServiceStackProps,
} from '../../deploy/lib/demo-service-stack';
import { METRIC_NAMES } from 'api-gateway-auth';

const ENV = { account: '111122223333', region: 'eu-west-1' };

function synth(props: DemoServiceStackProps = {}): Template {
  const app = new App();
  const stack = new DemoServiceStack(app, 'Demo', {
    env: ENV,
    image: ecs.ContainerImage.fromRegistry('example.com/gateway-auth-demo:test'),
    ...props,
  });
  return Template.fromStack(stack);
}

/** The container definition's environment as a name → value map. */
function containerEnv(template: Template): Record<string, unknown> {
  const defs = template.findResources('AWS::ECS::TaskDefinition');
  const [def] = Object.values(defs) as Array<{
    Properties: {
      ContainerDefinitions: Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
    };
  }>;
  const env = def?.Properties.ContainerDefinitions[0]?.Environment ?? [];
  return Object.fromEntries(env.map((e) => [e.Name, e.Value]));
}

describe('deploy/: the demo on ECS/Fargate behind an ALB', () => {
  const template = synth();

  it('runs a Fargate service of two tasks behind an internet-facing ALB', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
    });
  });

  it('health-checks the target group on GET /health', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health',
      Matcher: { HttpCode: '200' },
      Port: 80,
      TargetType: 'ip',
    });
  });

  it('declares the image health probe on the container too (ECS ignores Docker HEALTHCHECK)', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          HealthCheck: Match.objectLike({
            Command: Match.arrayWith([Match.stringLikeRegexp('/health')]),
          }),
        }),
      ],
    });
  });

  it('configures the container from parameters, with the ALB as the trusted proxy', () => {
    const env = containerEnv(template);
    expect(Object.keys(env).sort()).toEqual(
      [
        'ACCESS_LOG_FORMAT',
        'AUTHORIZER_CACHE_REDIS_URL',
        'COGNITO_CLIENT_IDS',
        'COGNITO_USER_POOL_ID',
        'GATEWAY_AUTH_ACCOUNT_ID',
        'GATEWAY_AUTH_API_ID',
        'GATEWAY_AUTH_REGION',
        'GATEWAY_AUTH_STAGE',
        'HOST',
        'HTTP_PLATFORM',
        'EMF_METRICS',
        'EMF_NAMESPACE',
        'IAM_IDENTITY_PROOFS',
        'LOG_LEVEL',
        'OTEL_METRICS_EXPORTER',
        'OTEL_TRACES_EXPORTER',
        'PORT',
        'RESOURCE_POLICY_FILE',
        'TRUSTED_PROXIES',
      ].sort(),
    );
    expect(env.GATEWAY_AUTH_API_ID).toEqual({ Ref: 'ApiId' });
    expect(env.GATEWAY_AUTH_STAGE).toEqual({ Ref: 'Stage' });
    expect(env.HTTP_PLATFORM).toEqual({ Ref: 'HttpPlatform' });
    expect(env.LOG_LEVEL).toEqual({ Ref: 'LogLevel' });
    expect(env.GATEWAY_AUTH_REGION).toBe('eu-west-1');
    expect(env.GATEWAY_AUTH_ACCOUNT_ID).toBe('111122223333');
    expect(env.TRUSTED_PROXIES).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Vpc/), 'CidrBlock'],
    });
    template.hasParameter('HttpPlatform', {
      AllowedValues: ['express', 'fastify'],
      Default: 'express',
    });
    template.hasParameter('ApiId', { Default: 'petstore' });
  });

  it('injects the SigV4 callers from Secrets Manager, never as plain environment', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Secrets: [
            {
              Name: 'IAM_CREDENTIALS',
              ValueFrom: { Ref: Match.stringLikeRegexp('^IamCredentials') },
            },
          ],
        }),
      ],
    });
    expect(JSON.stringify(containerEnv(template))).not.toMatch(/secretAccessKey|AKIA/);
  });

  it('shares authorizer decisions through ElastiCache Redis with TLS, reachable from the tasks only', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
    });
    expect(containerEnv(template).AUTHORIZER_CACHE_REDIS_URL).toEqual({
      'Fn::Join': [
        '',
        [
          'rediss://',
          { 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Address'] },
          ':',
          { 'Fn::GetAtt': ['Redis', 'PrimaryEndPoint.Port'] },
        ],
      ],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 6379,
      ToPort: 6379,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RedisSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^ServiceSecurityGroup'), 'GroupId'],
      },
    });
  });

  it('creates a Cognito user pool with the pets/read and pets/write scopes by default', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'pets',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'Read pets' },
        { ScopeName: 'write', ScopeDescription: 'Add pets' },
      ],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['pets/read', 'pets/write'],
      GenerateSecret: true,
    });
    expect(containerEnv(template).COGNITO_USER_POOL_ID).toEqual({
      Ref: expect.stringMatching(/^UserPool/),
    });
  });

  it('takes an existing pool from parameters instead', () => {
    const existing = synth({ cognito: 'parameters' });
    existing.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(containerEnv(existing).COGNITO_USER_POOL_ID).toEqual({ Ref: 'CognitoUserPoolId' });
    expect(containerEnv(existing).COGNITO_CLIENT_IDS).toEqual({ Ref: 'CognitoClientIds' });
  });

  it('lets the tasks invoke a real Lambda authorizer when one is named', () => {
    const withLambda = synth({ authorizerFunctionName: 'orders-authorizer' });
    expect(containerEnv(withLambda).AUTHORIZER_FUNCTION_NAME).toBe('orders-authorizer');
    withLambda.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: {
              'Fn::Join': [
                '',
                Match.arrayWith([Match.stringLikeRegexp(':function:orders-authorizer$')]),
              ],
            },
          }),
        ]),
      },
    });
  });

  it('serves HTTPS and redirects HTTP when given a certificate', () => {
    const https = synth({
      certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc',
    });
    https.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
    });
    https.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect' })],
    });
  });

  it('synthesizes offline with the image built from apps/demo/Dockerfile (a Docker asset)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gateway-auth-cdk-'));
    try {
      const app = new App({ outdir });
      new DemoServiceStack(app, 'Demo', { env: ENV, image: demoImageFromRepository() });
      const assembly = app.synth();
      const manifest = JSON.parse(
        readFileSync(join(assembly.directory, 'Demo.assets.json'), 'utf8'),
      ) as { dockerImages: Record<string, { source: { dockerFile?: string } }> };
      const images = Object.values(manifest.dockerImages);
      expect(images).toHaveLength(1);
      expect(images[0]?.source.dockerFile).toBe('apps/demo/Dockerfile');
      // The build context holds only what the Dockerfile copies (no node_modules, no dist).
      const staged = readdirSync(outdir).find((f) => f.startsWith('asset.'));
      expect(staged).toBeDefined();
      const context = readdirSync(join(outdir, staged as string)).sort();
      expect(context).toEqual(
        [
          'apps',
          'examples',
          'libs',
          'package-lock.json',
          'package.json',
          'tsconfig.build.json',
          'tsconfig.json',
        ].sort(),
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  describe('deploy/: AWS identities (issue 13)', () => {
    it('turns identity proofs on and lets the task role read IAM policies (and assume reader roles)', () => {
      const template = synth({
        policyReaderRoles: {
          '444455556666': 'arn:aws:iam::444455556666:role/gateway-auth-policy-reader',
        },
      });
      expect(containerEnv(template)).toMatchObject({
        IAM_IDENTITY_PROOFS: 'true',
        IAM_POLICY_READER_ROLES:
          '{"444455556666":"arn:aws:iam::444455556666:role/gateway-auth-policy-reader"}',
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'ReadCallersIdentityPolicies',
              Action: Match.arrayWith([
                'iam:GetRole',
                'iam:ListAttachedRolePolicies',
                'iam:ListGroupsForUser',
                'iam:GetPolicyVersion',
              ]),
            }),
            Match.objectLike({
              Sid: 'AssumePolicyReaderRoles',
              Action: 'sts:AssumeRole',
              Resource: 'arn:aws:iam::444455556666:role/gateway-auth-policy-reader',
            }),
          ]),
        },
      });
      expect(template.findResources('AWS::VpcLattice::Service')).toEqual({});
    });

    it('without proofs or Lattice, no IAM read rights', () => {
      const template = synth({ identityProofs: false });
      expect(containerEnv(template).IAM_IDENTITY_PROOFS).toBeUndefined();
      const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
      expect(policies).not.toContain('iam:GetRole');
    });

    it('can put a VPC Lattice service (AWS_IAM) in front of the tasks', () => {
      const template = synth({ lattice: true });
      template.hasResourceProperties('AWS::VpcLattice::Service', { AuthType: 'AWS_IAM' });
      template.hasResourceProperties('AWS::VpcLattice::ServiceNetwork', { AuthType: 'AWS_IAM' });
      template.hasResourceProperties('AWS::VpcLattice::TargetGroup', {
        Type: 'IP',
        Config: Match.objectLike({ Port: 3000, Protocol: 'HTTP' }),
      });
      template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
        Policy: Match.objectLike({
          Statement: [Match.objectLike({ Action: 'vpc-lattice-svcs:Invoke' })],
        }),
      });
      template.resourceCountIs('AWS::VpcLattice::ServiceNetworkServiceAssociation', 1);
      template.resourceCountIs('AWS::VpcLattice::ServiceNetworkVpcAssociation', 1);
      // The ECS service registers its tasks in the Lattice target group.
      template.hasResourceProperties('AWS::ECS::Service', {
        VpcLatticeConfigurations: [
          Match.objectLike({
            PortName: 'http',
            TargetGroupArn: Match.anyValue(),
            RoleArn: Match.anyValue(),
          }),
        ],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        ManagedPolicyArns: [
          Match.objectLike({
            'Fn::Join': Match.arrayWith([
              Match.arrayWith([
                Match.stringLikeRegexp('AmazonECSInfrastructureRolePolicyForVpcLattice'),
              ]),
            ]),
          }),
        ],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            PortMappings: [Match.objectLike({ ContainerPort: 3000, Name: 'http' })],
          }),
        ],
      });
      // Only the Lattice prefix list may reach the tasks that way.
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        SourcePrefixListId: { Ref: 'LatticePrefixListId' },
        FromPort: 3000,
      });
      const env = containerEnv(template);
      expect(env.LATTICE_TRUSTED_PEERS).toEqual({ Ref: 'LatticeTrustedPeers' });
      expect(env.LATTICE_SERVICE_ARNS).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^LatticeService/), 'Arn'],
      });
    });
  });
});

describe('deploy/: observability (issue 15)', () => {
  const template = synth();

  it('sends the container output (access lines, EMF metrics, decision logs) to CloudWatch Logs', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
  });

  it('turns EMF on (metrics extracted by CloudWatch Logs, no agent) with the access-log format as a parameter', () => {
    const env = containerEnv(template);
    expect(env.EMF_METRICS).toBe('on');
    expect(env.EMF_NAMESPACE).toBe(DemoServiceStack.METRICS_NAMESPACE);
    expect(env.ACCESS_LOG_FORMAT).toEqual({ Ref: 'AccessLogFormat' });
    template.hasParameter('AccessLogFormat', { Default: 'JSON' });
  });

  it('has a CloudWatch dashboard over the EMF metrics: rate, refusals by type, latency, cache hit ratio, JWKS', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0]);
    for (const needle of [
      'Authorizations per minute, by model',
      'Refusals by response type',
      'SEARCH(',
      'AuthorizationLatency',
      'p99',
      '100 * hits / (hits + misses)',
      'CacheHitCount',
      'JwksFetchErrors',
      DemoServiceStack.METRICS_NAMESPACE,
    ]) {
      expect(body).toContain(needle);
    }
  });
});

describe('deploy/grafana/gateway-auth.json (Prometheus users)', () => {
  const dashboard = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'deploy', 'grafana', 'gateway-auth.json'), 'utf8'),
  ) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };

  it('has the panels of the CloudWatch dashboard', () => {
    expect(dashboard.panels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        'Decisions per second, by model',
        'Refusals per second, by response type',
        'Authorization latency p50 / p99',
        'Lambda-authorizer decision cache hit ratio',
        'JWKS fetches per minute, by outcome',
      ]),
    );
  });

  it('queries only metrics gateway-auth exports, under their Prometheus names', () => {
    // The OpenTelemetry Prometheus exporter: dots become underscores, counters end in _total.
    const exported = new Set<string>();
    for (const [key, name] of Object.entries(METRIC_NAMES)) {
      const base = name.replace(/\./g, '_');
      const counter = ['decisions', 'cacheLookups', 'cacheErrors', 'jwksFetches'].includes(key);
      if (counter) exported.add(`${base}_total`);
      else for (const suffix of ['_bucket', '_sum', '_count']) exported.add(base + suffix);
    }
    const used = dashboard.panels.flatMap((p) =>
      // Metric names stand before their label matchers: `name{...}`.
      p.targets.flatMap((t) =>
        [...t.expr.matchAll(/\b((?:gateway_auth|db_client|rpc_client)_[a-z_]+)\{/g)].map(
          (m) => m[1] as string,
        ),
      ),
    );
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(exported).toContain(name);
  });
});
