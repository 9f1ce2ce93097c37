/**
 * Which API this service stands in for: the parts of the execute-api ARN API Gateway would build
 * (`arn:{partition}:execute-api:{region}:{accountId}:{apiId}/{stage}/{METHOD}/{path}`).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
 */
export interface ApiOptions {
  /** AWS region of the API, e.g. `us-east-1`. SigV4 credential scopes must name it. */
  region: string;
  /** 12-digit account id of the API owner. */
  accountId: string;
  /** API id (REST API id in API Gateway), e.g. `a1b2c3d4e5`. */
  apiId: string;
  /** Stage name, e.g. `prod`. */
  stage: string;
  /** ARN partition; default `aws`. */
  partition?: string;
  /** The stage's variables (`stageVariables` in authorizer events and identity sources). Default none. */
  stageVariables?: Readonly<Record<string, string>>;
}
