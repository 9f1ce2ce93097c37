/**
 * The CDK app of the demo deployment. No CDK CLI needed to synthesize:
 *   node -r @swc-node/register deploy/app.ts        (writes deploy/cdk.out)
 * Deploy with the CDK CLI from deploy/ (`npx aws-cdk deploy`), see docs/deploy.md. Settings come
 * from environment variables read here (deploy-time) and CloudFormation parameters (ApiId, Stage,
 * HttpPlatform, LogLevel, CognitoUserPoolId/CognitoClientIds with DEMO_COGNITO=parameters, and
 * LatticePrefixListId/LatticeTrustedPeers with DEMO_LATTICE=true).
 */
import { App } from 'aws-cdk-lib';
import { join } from 'node:path';
import { DemoServiceStack } from './lib/demo-service-stack';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? join(__dirname, 'cdk.out') });
const cognito = process.env.DEMO_COGNITO === 'parameters' ? 'parameters' : 'create';
new DemoServiceStack(app, process.env.DEMO_STACK_NAME ?? 'GatewayAuthDemo', {
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
  cognito,
  ...(process.env.DEMO_DESIRED_COUNT
    ? { desiredCount: Number(process.env.DEMO_DESIRED_COUNT) }
    : {}),
  ...(process.env.AUTHORIZER_FUNCTION_NAME
    ? { authorizerFunctionName: process.env.AUTHORIZER_FUNCTION_NAME }
    : {}),
  ...(process.env.DEMO_CERTIFICATE_ARN ? { certificateArn: process.env.DEMO_CERTIFICATE_ARN } : {}),
  // Identity proofs are on unless DEMO_IDENTITY_PROOFS=false; DEMO_POLICY_READER_ROLES is the
  // IAM_POLICY_READER_ROLES JSON; DEMO_LATTICE=true puts a VPC Lattice service in front.
  identityProofs: process.env.DEMO_IDENTITY_PROOFS !== 'false',
  ...(process.env.DEMO_POLICY_READER_ROLES
    ? {
        policyReaderRoles: JSON.parse(process.env.DEMO_POLICY_READER_ROLES) as Record<
          string,
          string
        >,
      }
    : {}),
  lattice: process.env.DEMO_LATTICE === 'true',
});
app.synth();
