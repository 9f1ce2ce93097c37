import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Aws,
  CfnOutput,
  CfnParameter,
  Duration,
  IgnoreMode,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_cognito as cognito,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_ecs_patterns as ecsPatterns,
  aws_elasticache as elasticache,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_logs as logs,
  aws_secretsmanager as secretsmanager,
  aws_certificatemanager as acm,
  aws_vpclattice as vpclattice,
  aws_cloudwatch as cloudwatch,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The repository root (the Docker build context). */
export const REPO_ROOT = join(__dirname, '..', '..');

/** Options of {@link DemoServiceStack}; every one has a default suited to a first deployment. */
export interface DemoServiceStackProps extends StackProps {
  /**
   * The container image. Default: built from `apps/demo/Dockerfile` at deploy time (a CDK Docker
   * asset, context = the repository root filtered by `apps/demo/Dockerfile.dockerignore`).
   */
  image?: ecs.ContainerImage;
  /**
   * Cognito: `'create'` (default) creates a user pool with a `pets` resource server (`pets/read`,
   * `pets/write`) and two app clients; `'parameters'` takes the pool id and client ids from
   * CloudFormation parameters (an existing pool).
   */
  cognito?: 'create' | 'parameters';
  /** Tasks behind the ALB. Default 2 (they share authorizer decisions through Redis). */
  desiredCount?: number;
  /** A Lambda function for the `/orders` authorizer (`AUTHORIZER_FUNCTION_NAME`); default: in-process. */
  authorizerFunctionName?: string;
  /** An ACM certificate ARN: the ALB then listens on HTTPS and redirects HTTP. Default: HTTP only. */
  certificateArn?: string;
  /**
   * Accept identity proofs (`IAM_IDENTITY_PROOFS`): callers with AWS-issued credentials (Lambda,
   * EC2, ECS roles) on `/admin/pets`. The task role may then read IAM policies of this account.
   * Default true.
   */
  identityProofs?: boolean;
  /**
   * Roles the task may assume to read other accounts' IAM policies (`IAM_POLICY_READER_ROLES`),
   * e.g. `{ '444455556666': 'arn:aws:iam::444455556666:role/gateway-auth-policy-reader' }`.
   */
  policyReaderRoles?: Readonly<Record<string, string>>;
  /**
   * Put a VPC Lattice service (auth type `AWS_IAM`) in front of the tasks as well: a service
   * network, the service, an IP target group the ECS service registers its tasks in
   * (`vpcLatticeConfigurations`), the tasks' security group open to the Lattice prefix list, and
   * `LATTICE_TRUSTED_PEERS`/`LATTICE_SERVICE_ARNS` for the container. Default false.
   */
  lattice?: boolean;
}

/** The IAM reads identity proofs and Lattice callers need (docs/iam-auth.md, "Setup"). */
export const IAM_POLICY_READ_ACTIONS = [
  'iam:GetRole',
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:GetUser',
  'iam:ListUserPolicies',
  'iam:GetUserPolicy',
  'iam:ListAttachedUserPolicies',
  'iam:ListGroupsForUser',
  'iam:ListGroupPolicies',
  'iam:GetGroupPolicy',
  'iam:ListAttachedGroupPolicies',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
];

/**
 * The gateway-auth demo on ECS/Fargate behind an Application Load Balancer: health check on
 * `/health`, configuration from CloudFormation parameters and Secrets Manager, an ElastiCache Redis
 * (TLS) for the authorizer decisions shared by the tasks, optionally a Cognito user pool.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html
 */
export class DemoServiceStack extends Stack {
  /** The service and its load balancer. */
  readonly service: ecsPatterns.ApplicationLoadBalancedFargateService;
  /** The secret holding the SigV4 callers (`{"credentials": [...]}`), to be filled in after deploy. */
  readonly iamCredentials: secretsmanager.Secret;
  /** The CloudWatch dashboard of gateway-auth's EMF metrics. */
  readonly dashboard: cloudwatch.Dashboard;
  /** The CloudWatch namespace of the demo's EMF metrics. */
  static readonly METRICS_NAMESPACE = 'GatewayAuthDemo';

  constructor(scope: Construct, id: string, props: DemoServiceStackProps = {}) {
    super(scope, id, props);

    const apiId = new CfnParameter(this, 'ApiId', {
      description: 'GATEWAY_AUTH_API_ID: the API id used in execute-api ARNs',
      default: 'petstore',
      allowedPattern: '^[A-Za-z0-9_-]{1,64}$',
    });
    const stage = new CfnParameter(this, 'Stage', {
      description: 'GATEWAY_AUTH_STAGE: the stage name used in execute-api ARNs',
      default: 'prod',
      allowedPattern: '^[A-Za-z0-9_-]{1,128}$',
    });
    const httpPlatform = new CfnParameter(this, 'HttpPlatform', {
      description: 'HTTP_PLATFORM: the Nest platform',
      default: 'express',
      allowedValues: ['express', 'fastify'],
    });
    const accessLogFormat = new CfnParameter(this, 'AccessLogFormat', {
      description:
        'ACCESS_LOG_FORMAT: the API Gateway access-log format ($context variables), or CLF, JSON, XML, CSV (AWS examples), or off',
      default: 'JSON',
    });
    const logLevel = new CfnParameter(this, 'LogLevel', {
      description: 'LOG_LEVEL of the structured JSON logs',
      default: 'info',
      allowedValues: ['debug', 'info', 'warn', 'error'],
    });

    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    // SigV4 callers: the same JSON as IAM_CREDENTIALS_FILE, injected as IAM_CREDENTIALS.
    this.iamCredentials = new secretsmanager.Secret(this, 'IamCredentials', {
      description: 'gateway-auth demo: SigV4 callers ({"credentials": [...]}, docs/iam-auth.md)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ credentials: [] }),
        generateStringKey: 'unused',
      },
    });

    const userPool = this.cognitoSettings(props.cognito ?? 'create');
    const identityProofs = props.identityProofs ?? true;

    // Shared authorizer decision cache: Redis with TLS and at-rest encryption, private subnets only.
    const redisSecurityGroup = new ec2.SecurityGroup(this, 'RedisSecurityGroup', {
      vpc,
      description: 'gateway-auth demo: Redis for the authorizer decision cache',
      allowAllOutbound: false,
    });
    const redisSubnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'gateway-auth demo Redis',
      subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'gateway-auth demo: shared Lambda-authorizer decisions',
      engine: 'redis',
      cacheNodeType: 'cache.t4g.micro',
      numCacheClusters: 1,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSecurityGroup.securityGroupId],
    });
    const redisUrl = `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const certificate =
      props.certificateArn === undefined
        ? undefined
        : acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn);

    this.service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster,
      desiredCount: props.desiredCount ?? 2,
      cpu: 512,
      memoryLimitMiB: 1024,
      publicLoadBalancer: true,
      circuitBreaker: { rollback: true },
      ...(certificate === undefined
        ? {}
        : { certificate, protocol: elbv2.ApplicationProtocol.HTTPS, redirectHTTP: true }),
      taskImageOptions: {
        image: props.image ?? demoImageFromRepository(),
        containerName: 'demo',
        containerPort: 3000,
        logDriver: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'demo' }),
        environment: {
          PORT: '3000',
          HOST: '0.0.0.0',
          HTTP_PLATFORM: httpPlatform.valueAsString,
          LOG_LEVEL: logLevel.valueAsString,
          GATEWAY_AUTH_REGION: this.region,
          GATEWAY_AUTH_ACCOUNT_ID: this.account,
          GATEWAY_AUTH_API_ID: apiId.valueAsString,
          GATEWAY_AUTH_STAGE: stage.valueAsString,
          COGNITO_USER_POOL_ID: userPool.userPoolId,
          COGNITO_CLIENT_IDS: userPool.clientIds,
          RESOURCE_POLICY_FILE: '/app/config/resource-policy.json',
          AUTHORIZER_CACHE_REDIS_URL: redisUrl,
          // The ALB's nodes live in the VPC's public subnets: their X-Forwarded-For is believed.
          TRUSTED_PROXIES: vpc.vpcCidrBlock,
          // Access lines (API Gateway's format) and EMF metric lines go to stdout, so to the log
          // group; CloudWatch Logs extracts the EMF metrics: no agent, no PutMetricData calls.
          ACCESS_LOG_FORMAT: accessLogFormat.valueAsString,
          EMF_METRICS: 'on',
          EMF_NAMESPACE: DemoServiceStack.METRICS_NAMESPACE,
          // CloudWatch gets the metrics through EMF; OTLP/Prometheus export stays off unless a
          // collector (e.g. an ADOT sidecar) is added (docs/deploy.md).
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_TRACES_EXPORTER: 'none',
          ...(props.authorizerFunctionName === undefined
            ? {}
            : { AUTHORIZER_FUNCTION_NAME: props.authorizerFunctionName }),
          ...(identityProofs ? { IAM_IDENTITY_PROOFS: 'true' } : {}),
          ...(props.policyReaderRoles === undefined
            ? {}
            : { IAM_POLICY_READER_ROLES: JSON.stringify(props.policyReaderRoles) }),
        },
        secrets: {
          IAM_CREDENTIALS: ecs.Secret.fromSecretsManager(this.iamCredentials),
        },
      },
    });

    this.service.targetGroup.configureHealthCheck({
      path: '/health',
      healthyHttpCodes: '200',
      interval: Duration.seconds(15),
      healthyThresholdCount: 2,
    });
    this.service.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '15');
    // ECS ignores the image's HEALTHCHECK: declare the same probe on the container, so ECS also
    // replaces a task whose process hangs (the ALB check above decides routing).
    const taskDefinition = this.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    taskDefinition.addPropertyOverride('ContainerDefinitions.0.HealthCheck', {
      Command: [
        'CMD',
        'node',
        '-e',
        "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))",
      ],
      Interval: 15,
      Timeout: 3,
      Retries: 3,
      StartPeriod: 10,
    });
    // Ingress on Redis from the tasks' security group only (and the matching egress).
    this.service.service.connections.allowTo(redisSecurityGroup, ec2.Port.tcp(6379), 'to Redis');

    if (props.authorizerFunctionName !== undefined) {
      this.service.taskDefinition.taskRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [
            props.authorizerFunctionName.startsWith('arn:')
              ? props.authorizerFunctionName
              : `arn:${Aws.PARTITION}:lambda:${Aws.REGION}:${Aws.ACCOUNT_ID}:function:${props.authorizerFunctionName}`,
          ],
        }),
      );
    }

    if (identityProofs || props.lattice === true) this.grantIamPolicyReads(props.policyReaderRoles);
    if (props.lattice === true) this.addLattice(vpc);
    this.dashboard = authDashboard(this, apiId.valueAsString, stage.valueAsString);

    new CfnOutput(this, 'Url', {
      value: `${certificate === undefined ? 'http' : 'https'}://${this.service.loadBalancer.loadBalancerDnsName}`,
    });
    new CfnOutput(this, 'IamCredentialsSecretArn', { value: this.iamCredentials.secretArn });
  }

  /**
   * The task role reads identity policies of this account's roles, users and groups, and may
   * assume the configured reader roles of other accounts.
   */
  private grantIamPolicyReads(readerRoles: Readonly<Record<string, string>> | undefined): void {
    const role = this.service.taskDefinition.taskRole;
    const arn = (resource: string): string =>
      `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:${resource}`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadCallersIdentityPolicies',
        actions: IAM_POLICY_READ_ACTIONS,
        resources: [
          arn('role/*'),
          arn('user/*'),
          arn('group/*'),
          arn('policy/*'),
          `arn:${Aws.PARTITION}:iam::aws:policy/*`,
        ],
      }),
    );
    const roles = Object.values(readerRoles ?? {});
    if (roles.length > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'AssumePolicyReaderRoles',
          actions: ['sts:AssumeRole'],
          resources: roles,
        }),
      );
    }
  }

  /**
   * VPC Lattice in front of the tasks: service network, service (`AWS_IAM` auth, an auth policy
   * letting authenticated principals of this account invoke it), target group of type IP the ECS
   * service registers its tasks in, and the container told which peers and service to believe.
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-vpc-lattice-create-service.html
   */
  private addLattice(vpc: ec2.IVpc): void {
    const prefixList = new CfnParameter(this, 'LatticePrefixListId', {
      description:
        'The managed prefix list com.amazonaws.<region>.vpc-lattice (aws ec2 describe-managed-prefix-lists): the only source allowed to reach the tasks through Lattice',
      allowedPattern: '^pl-[0-9a-f]+$',
    });
    const trustedPeers = new CfnParameter(this, 'LatticeTrustedPeers', {
      description: 'LATTICE_TRUSTED_PEERS: the CIDRs of that prefix list (and its IPv6 twin)',
      default: '169.254.171.0/24,fd00:ec2:80::/64',
    });
    const network = new vpclattice.CfnServiceNetwork(this, 'LatticeNetwork', {
      name: `${this.stackName.toLowerCase()}-network`.slice(0, 63),
      authType: 'AWS_IAM',
    });
    const service = new vpclattice.CfnService(this, 'LatticeService', {
      name: `${this.stackName.toLowerCase()}-pets`.slice(0, 40),
      authType: 'AWS_IAM',
    });
    new vpclattice.CfnAuthPolicy(this, 'LatticeAuthPolicy', {
      resourceIdentifier: service.attrArn,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 'vpc-lattice-svcs:Invoke',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID },
              StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
            },
          },
        ],
      },
    });
    const targetGroup = new vpclattice.CfnTargetGroup(this, 'LatticeTargets', {
      type: 'IP',
      config: {
        port: 3000,
        protocol: 'HTTP',
        vpcIdentifier: vpc.vpcId,
        healthCheck: { enabled: true, path: '/health', protocol: 'HTTP' },
      },
    });
    new vpclattice.CfnListener(this, 'LatticeListener', {
      serviceIdentifier: service.attrId,
      protocol: 'HTTPS',
      port: 443,
      defaultAction: {
        forward: { targetGroups: [{ targetGroupIdentifier: targetGroup.attrId, weight: 100 }] },
      },
    });
    new vpclattice.CfnServiceNetworkServiceAssociation(this, 'LatticeServiceAssociation', {
      serviceNetworkIdentifier: network.attrId,
      serviceIdentifier: service.attrId,
    });
    new vpclattice.CfnServiceNetworkVpcAssociation(this, 'LatticeVpcAssociation', {
      serviceNetworkIdentifier: network.attrId,
      vpcIdentifier: vpc.vpcId,
    });
    // ECS registers the tasks in the target group with this role.
    const infrastructureRole = new iam.Role(this, 'EcsLatticeInfrastructureRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(
          'AmazonECSInfrastructureRolePolicyForVpcLattice',
        ),
      ],
    });
    const cfnService = this.service.service.node.defaultChild as ecs.CfnService;
    cfnService.vpcLatticeConfigurations = [
      {
        roleArn: infrastructureRole.roleArn,
        targetGroupArn: targetGroup.attrArn,
        portName: 'http',
      },
    ];
    const taskDefinition = this.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    taskDefinition.addPropertyOverride('ContainerDefinitions.0.PortMappings.0.Name', 'http');
    const container = this.service.taskDefinition.defaultContainer;
    container?.addEnvironment('LATTICE_TRUSTED_PEERS', trustedPeers.valueAsString);
    container?.addEnvironment('LATTICE_SERVICE_ARNS', service.attrArn);
    this.service.service.connections.allowFrom(
      ec2.Peer.prefixList(prefixList.valueAsString),
      ec2.Port.tcp(3000),
      'from VPC Lattice only',
    );
    new CfnOutput(this, 'LatticeServiceDns', { value: service.attrDnsEntryDomainName });
  }

  private cognitoSettings(mode: 'create' | 'parameters'): {
    userPoolId: string;
    clientIds: string;
  } {
    if (mode === 'parameters') {
      const poolId = new CfnParameter(this, 'CognitoUserPoolId', {
        description: 'COGNITO_USER_POOL_ID of an existing user pool',
        allowedPattern: '^[\\w-]+_[0-9A-Za-z]+$',
      });
      const clientIds = new CfnParameter(this, 'CognitoClientIds', {
        description: 'COGNITO_CLIENT_IDS: accepted app client ids, comma-separated (empty: any)',
        default: '',
      });
      return { userPoolId: poolId.valueAsString, clientIds: clientIds.valueAsString };
    }
    const pool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const read = new cognito.ResourceServerScope({
      scopeName: 'read',
      scopeDescription: 'Read pets',
    });
    const write = new cognito.ResourceServerScope({
      scopeName: 'write',
      scopeDescription: 'Add pets',
    });
    const pets = pool.addResourceServer('Pets', { identifier: 'pets', scopes: [read, write] });
    // Users sign in (ID tokens for GET /pets); services get pets/read and pets/write tokens.
    const users = pool.addClient('Users', {
      authFlows: { userSrp: true, userPassword: true },
      oAuth: { flows: { authorizationCodeGrant: true }, callbackUrls: ['http://localhost:3000/'] },
    });
    const services = pool.addClient('Services', {
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.custom('pets/read'), cognito.OAuthScope.custom('pets/write')],
      },
    });
    // The scopes are named literally (readable template); the client needs the server first.
    services.node.addDependency(pets);
    pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `gateway-auth-demo-${Aws.ACCOUNT_ID}` },
    });
    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    return {
      userPoolId: pool.userPoolId,
      clientIds: `${users.userPoolClientId},${services.userPoolClientId}`,
    };
  }
}

/** The demo image built from `apps/demo/Dockerfile`, with the Dockerfile's own ignore file. */
export function demoImageFromRepository(): ecs.ContainerImage {
  const ignore = readFileSync(join(REPO_ROOT, 'apps', 'demo', 'Dockerfile.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  return ecs.ContainerImage.fromAsset(REPO_ROOT, {
    file: 'apps/demo/Dockerfile',
    exclude: ignore,
    ignoreMode: IgnoreMode.DOCKER,
  });
}

/**
 * A CloudWatch dashboard over gateway-auth's EMF metrics (docs/observability.md): decision rate by
 * model, refusals by gateway response type, authorization latency p50/p99, the Lambda-authorizer
 * decision cache hit ratio, and JWKS fetches and failures.
 */
function authDashboard(scope: Construct, apiId: string, stage: string): cloudwatch.Dashboard {
  const namespace = DemoServiceStack.METRICS_NAMESPACE;
  const period = Duration.minutes(1);
  const metric = (
    metricName: string,
    statistic: string,
    extra: Record<string, string> = {},
    label?: string,
  ): cloudwatch.Metric =>
    new cloudwatch.Metric({
      namespace,
      metricName,
      statistic,
      period,
      dimensionsMap: { ApiId: apiId, Stage: stage, ...extra },
      ...(label === undefined ? {} : { label }),
    });
  const models = ['iam', 'cognito', 'custom'];
  const dashboard = new cloudwatch.Dashboard(scope, 'AuthDashboard', {
    dashboardName: `${Stack.of(scope).stackName}-gateway-auth`,
  });
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Authorizations per minute, by model',
      left: models.map((model) => metric('Count', 'Sum', { Model: model }, model)),
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Refusals by response type',
      left: [
        new cloudwatch.MathExpression({
          expression: `SEARCH('{${namespace},ApiId,Stage,ResponseType} MetricName="Refusals" ApiId="${apiId}" Stage="${stage}"', 'Sum', 60)`,
          label: '',
          period,
        }),
      ],
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: 'Authorization latency (ms)',
      left: [
        metric('AuthorizationLatency', 'p50', {}, 'p50'),
        metric('AuthorizationLatency', 'p99', {}, 'p99'),
        metric('AuthorizerLatency', 'p99', { Model: 'custom' }, 'authorizer invoke p99'),
      ],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Authorizer decision cache hit ratio (%)',
      left: [
        new cloudwatch.MathExpression({
          expression: '100 * hits / (hits + misses)',
          usingMetrics: {
            hits: metric('CacheHitCount', 'Sum', { Model: 'custom' }),
            misses: metric('CacheMissCount', 'Sum', { Model: 'custom' }),
          },
          label: 'hit ratio',
          period,
        }),
      ],
      leftYAxis: { min: 0, max: 100 },
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'JWKS fetches and failures',
      left: [
        metric('JwksFetchCount', 'Sum', {}, 'fetches'),
        metric('JwksFetchErrors', 'Sum', {}, 'failures'),
      ],
      width: 8,
    }),
  );
  return dashboard;
}
