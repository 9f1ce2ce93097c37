/** What the copy-paste commands need: where the demo runs and a credential for each model. */
export interface RouteCommandInputs {
  /** Base URL of the demo, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  region: string;
  /** A Cognito ID token (routes without scopes, COG-02). */
  idToken: string;
  /** A Cognito access token with `pets/read` (COG-03). */
  readToken: string;
  /** A Cognito access token with `pets/write`. */
  writeToken: string;
  /** A SigV4 caller allowed on the admin API and `DELETE /pets/{id}`. */
  iamCaller: { accessKeyId: string; secretAccessKey: string };
}

/** One contract route and the shell command that calls it successfully. */
export interface RouteCommand {
  method: string;
  path: string;
  model: 'none' | 'cognito' | 'iam' | 'token-authorizer' | 'request-authorizer';
  command: string;
}

/**
 * The commands printed at start: shell variables holding the credentials (tokens are long), then
 * one command per contract route. Every command succeeds against the demo with embedded defaults.
 */
export function routeCommands(inputs: RouteCommandInputs): {
  exports: string[];
  routes: RouteCommand[];
} {
  const url = inputs.baseUrl.replace(/\/$/, '');
  const exports = [
    `export ID_TOKEN='${inputs.idToken}'`,
    `export READ_TOKEN='${inputs.readToken}'`,
    `export WRITE_TOKEN='${inputs.writeToken}'`,
    `export AWS_ACCESS_KEY_ID='${inputs.iamCaller.accessKeyId}' AWS_SECRET_ACCESS_KEY='${inputs.iamCaller.secretAccessKey}' AWS_REGION='${inputs.region}'`,
  ];
  const json = `-H 'content-type: application/json'`;
  const signed = 'npx gateway-auth curl';
  const routes: RouteCommand[] = [
    { method: 'GET', path: '/health', model: 'none', command: `curl -s ${url}/health` },
    {
      method: 'GET',
      path: '/pets',
      model: 'cognito',
      command: `curl -s -H "Authorization: $ID_TOKEN" ${url}/pets`,
    },
    {
      method: 'GET',
      path: '/pets/{id}',
      model: 'cognito',
      command: `curl -s -H "Authorization: $READ_TOKEN" ${url}/pets/1`,
    },
    {
      method: 'POST',
      path: '/pets',
      model: 'cognito',
      command: `curl -s -X POST -H "Authorization: $WRITE_TOKEN" ${json} -d '{"type":"bird","price":15.5}' ${url}/pets`,
    },
    {
      method: 'DELETE',
      path: '/pets/{id}',
      model: 'iam',
      command: `${signed} -X DELETE ${url}/pets/3`,
    },
    { method: 'GET', path: '/admin/pets', model: 'iam', command: `${signed} ${url}/admin/pets` },
    {
      method: 'GET',
      path: '/admin/pets/{id}',
      model: 'iam',
      command: `${signed} ${url}/admin/pets/1`,
    },
    {
      method: 'POST',
      path: '/admin/pets',
      model: 'iam',
      command: `${signed} -X POST ${json} -d '{"type":"turtle","price":42}' ${url}/admin/pets`,
    },
    {
      method: 'GET',
      path: '/orders',
      model: 'token-authorizer',
      command: `curl -s -H 'Authorization: allow' ${url}/orders`,
    },
    {
      method: 'GET',
      path: '/orders/{id}',
      model: 'token-authorizer',
      command: `curl -s -H 'Authorization: allow' ${url}/orders/1`,
    },
    {
      method: 'GET',
      path: '/reports',
      model: 'request-authorizer',
      command: `curl -s -H 'HeaderAuth1: headerValue1' '${url}/reports?QueryString1=queryValue1'`,
    },
  ];
  return { exports, routes };
}

/** The start banner: the variables block, then one line per route. */
export function formatRouteCommands(inputs: RouteCommandInputs): string {
  const { exports, routes } = routeCommands(inputs);
  const lines = [
    '',
    `gateway-auth demo on ${inputs.baseUrl}`,
    '',
    '# 1. In another shell, set the demo credentials (tokens from the local Cognito pool: they expire,',
    '#    restart for new ones; demo SigV4 keys from apps/demo/config/iam-credentials.json):',
    ...exports,
    '',
    '# 2. Call each route:',
  ];
  for (const route of routes) {
    lines.push(`# ${route.method} ${route.path}  (${route.model})`, route.command);
  }
  lines.push(
    '',
    '# Without a credential, or with the wrong one, each route answers as API Gateway does.',
  );
  return lines.join('\n');
}
