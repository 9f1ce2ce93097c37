/**
 * API Gateway's example access-log formats, as its console offers them and its documentation lists
 * them ("Access logging for REST APIs": CLF, JSON, XML, CSV), each on one line.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-access-logging.html
 */
export const ACCESS_LOG_FORMATS = {
  CLF:
    '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime]' +
    '"$context.httpMethod $context.resourcePath $context.protocol" $context.status' +
    ' $context.responseLength $context.requestId $context.extendedRequestId',
  JSON:
    '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId",' +
    '"ip": "$context.identity.sourceIp", "caller":"$context.identity.caller",' +
    ' "user":"$context.identity.user", "requestTime":"$context.requestTime",' +
    ' "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath",' +
    ' "status":"$context.status", "protocol":"$context.protocol",' +
    ' "responseLength":"$context.responseLength" }',
  XML:
    '<request id="$context.requestId"> <extendedRequestId>$context.extendedRequestId</extendedRequestId>' +
    ' <ip>$context.identity.sourceIp</ip> <caller>$context.identity.caller</caller>' +
    ' <user>$context.identity.user</user> <requestTime>$context.requestTime</requestTime>' +
    ' <httpMethod>$context.httpMethod</httpMethod> <resourcePath>$context.resourcePath</resourcePath>' +
    ' <status>$context.status</status> <protocol>$context.protocol</protocol>' +
    ' <responseLength>$context.responseLength</responseLength> </request>',
  CSV:
    '$context.identity.sourceIp,$context.identity.caller,$context.identity.user,' +
    '$context.requestTime,$context.httpMethod,$context.resourcePath,$context.protocol,' +
    '$context.status,$context.responseLength,$context.requestId,$context.extendedRequestId',
} as const;

/** The name of one of {@link ACCESS_LOG_FORMATS}. */
export type AccessLogFormatName = keyof typeof ACCESS_LOG_FORMATS;
