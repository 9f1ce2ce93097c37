#!/usr/bin/env python3
"""Writes the IAM decision tables (*.json next to this file).

Every expected decision below was written by hand from the AWS documentation page cited with it,
never by running an engine. Run `python3 test/iam/decision-tables/generate.py` after editing.
"""
import json
import os

IAM = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/'
EVAL = IAM + 'reference_policies_evaluation-logic.html'
XACCT = IAM + 'reference_policies_evaluation-logic-cross-account.html'
OPS = IAM + 'reference_policies_elements_condition_operators.html'
COND = IAM + 'reference_policies_elements_condition.html'
MULTI = IAM + 'reference_policies_multi-value-conditions.html'
VARS = IAM + 'reference_policies_variables.html'
ACTION = IAM + 'reference_policies_elements_action.html'
NOTACTION = IAM + 'reference_policies_elements_notaction.html'
RES = IAM + 'reference_policies_elements_resource.html'
NOTRES = IAM + 'reference_policies_elements_notresource.html'
PRIN = IAM + 'reference_policies_elements_principal.html'
NOTPRIN = IAM + 'reference_policies_elements_notprincipal.html'
BOUNDARY = IAM + 'access_policies_boundaries.html'
VERSION = IAM + 'reference_policies_elements_version.html'
APIGW = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/'
FLOW = APIGW + 'apigateway-authorization-flow.html'
IAMINV = APIGW + 'api-gateway-control-access-using-iam-policies-to-invoke-api.html'

ACCT = '111122223333'
OTHER = '444455556666'
API = f'arn:aws:execute-api:us-east-1:{ACCT}:petstore'
PETS = f'{API}/prod/GET/pets'
ALICE = {'arn': f'arn:aws:iam::{ACCT}:user/alice', 'accountId': ACCT, 'type': 'User'}
CAROL = {'arn': f'arn:aws:iam::{ACCT}:user/carol', 'accountId': ACCT, 'type': 'User'}
BOB = {'arn': f'arn:aws:iam::{OTHER}:user/bob', 'accountId': OTHER, 'type': 'User'}
SESSION = {
    'arn': f'arn:aws:sts::{ACCT}:assumed-role/Ops/s1',
    'accountId': ACCT,
    'type': 'AssumedRole',
    'roleArn': f'arn:aws:iam::{ACCT}:role/Ops',
}
INVOKE = 'execute-api:Invoke'


def stmt(effect='Allow', action=INVOKE, resource=f'{API}/*', **extra):
    s = {'Effect': effect}
    if action is not None:
        s['Action'] = action
    if resource is not None:
        s['Resource'] = resource
    s.update(extra)
    return s


def pol(*statements, version='2012-10-17'):
    doc = {'Statement': list(statements)}
    if version is not None:
        doc = {'Version': version, **doc}
    return doc


def req(resource=PETS, action=INVOKE, principal=ALICE, context=None):
    r = {'action': action, 'resource': resource, 'context': context or {}}
    if principal is not None:
        r['principal'] = principal
    return r


def case(cid, title, doc, refs, request, decision, identity=None, resource=None, boundary=None,
         account=None, matched=None):
    policies = {'identity': identity or []}
    if resource is not None:
        policies['resource'] = resource
    if boundary is not None:
        policies['boundary'] = boundary
    if account is not None:
        policies['resourceAccountId'] = account
    c = {'id': cid, 'title': title, 'doc': doc, 'refs': refs, 'policies': policies,
         'request': request, 'expected': {'decision': decision}}
    if matched is not None:
        c['expected']['matched'] = matched
    return c


def cond_cases(prefix, rows):
    """rows: (title, doc, refs, operator, key, policy values, context value or None, holds)."""
    out = []
    for n, (title, doc, refs, op, key, values, ctx, holds) in enumerate(rows, 1):
        context = {} if ctx is None else {key if not isinstance(ctx, tuple) else ctx[0]: ctx if not isinstance(ctx, tuple) else ctx[1]}
        out.append(case(f'{prefix}-{n:03d}', title, doc, refs, req(context=context),
                        'allowed' if holds else 'implicitDeny',
                        identity=[pol(stmt(Condition={op: {key: values}}))]))
    return out


TAG = 'aws:PrincipalTag/team'
tables = {}

tables['conditions-string'] = cond_cases('str', [
    ('StringEquals matches an equal value', OPS, ['OP-01'], 'StringEquals', TAG, 'pets', 'pets', True),
    ('StringEquals is case-sensitive', OPS, ['OP-01'], 'StringEquals', TAG, 'pets', 'Pets', False),
    ('values of one key are ORed', MULTI, ['IAM-C-02'], 'StringEquals', TAG, ['ops', 'pets'], 'pets', True),
    ('a missing key makes StringEquals false', OPS, ['IAM-C-03'], 'StringEquals', TAG, 'pets', None, False),
    ('StringNotEquals holds for a different value', OPS, ['OP-02'], 'StringNotEquals', TAG, 'pets', 'ops', True),
    ('StringNotEquals fails for the same value', OPS, ['OP-02'], 'StringNotEquals', TAG, 'pets', 'pets', False),
    ('StringNotEquals with several values means none of them', MULTI, ['IAM-C-02'], 'StringNotEquals', TAG, ['a', 'b'], 'b', False),
    ('StringNotEquals with several values holds when none equal', MULTI, ['IAM-C-02'], 'StringNotEquals', TAG, ['a', 'b'], 'c', True),
    ('a missing key makes StringNotEquals true', OPS, ['IAM-C-03'], 'StringNotEquals', TAG, 'pets', None, True),
    ('StringEqualsIgnoreCase ignores case', OPS, ['OP-03'], 'StringEqualsIgnoreCase', TAG, 'PETS', 'pets', True),
    ('StringEqualsIgnoreCase still needs equal text', OPS, ['OP-03'], 'StringEqualsIgnoreCase', TAG, 'PETS', 'pet', False),
    ('StringNotEqualsIgnoreCase fails for a case variant', OPS, ['OP-04'], 'StringNotEqualsIgnoreCase', TAG, 'PETS', 'pets', False),
    ('StringNotEqualsIgnoreCase with a missing key is true', OPS, ['IAM-C-03'], 'StringNotEqualsIgnoreCase', TAG, 'PETS', None, True),
    ('StringLike * matches any run', OPS, ['OP-05'], 'StringLike', TAG, 'pe*', 'pets', True),
    ('StringLike ? matches one character', OPS, ['OP-05'], 'StringLike', TAG, 'p?ts', 'pets', True),
    ('StringLike ? needs exactly one character', OPS, ['OP-05'], 'StringLike', TAG, 'p?ts', 'pts', False),
    ('StringLike is case-sensitive', OPS, ['OP-05'], 'StringLike', TAG, 'Pe*', 'pets', False),
    ('StringLike needs wildcards for a partial match', OPS, ['OP-05'], 'StringLike', TAG, 'pets', 'pets-team', False),
    ('StringLike wildcards anywhere in the value', OPS, ['OP-05'], 'StringLike', TAG, '*-team-*', 'a-team-b', True),
    ('StringNotLike fails when the pattern matches', OPS, ['OP-06'], 'StringNotLike', TAG, '*admin*', 'superadmin1', False),
    ('StringNotLike holds when the pattern does not match', OPS, ['OP-06'], 'StringNotLike', TAG, '*admin*', 'user', True),
    ('a missing key makes StringLike false', OPS, ['IAM-C-03'], 'StringLike', TAG, '*', None, False),
    ('a missing key makes StringNotLike true', OPS, ['IAM-C-03'], 'StringNotLike', TAG, '*admin*', None, True),
    ('StringLike * matches an empty value', OPS, ['OP-05'], 'StringLike', TAG, '*', '', True),
    ('condition key names are case-insensitive', COND, ['IAM-C-01'], 'StringEquals', 'AWS:PRINCIPALTAG/TEAM', 'pets', (TAG, 'pets'), True),
    ('condition key names are case-insensitive (context side)', COND, ['IAM-C-01'], 'StringEquals', TAG, 'pets', ('aws:principaltag/TEAM', 'pets'), True),
    ('StringEquals on aws:SourceIp compares text, not addresses', OPS, ['OP-01'], 'StringEquals', 'aws:SourceIp', '203.0.113.0/24', '203.0.113.7', False),
])

tables['conditions-numeric-date'] = cond_cases('num', [
    ('NumericEquals equal integers', OPS, ['OP-07'], 'NumericEquals', 'aws:MultiFactorAuthAge', '10', '10', True),
    ('NumericEquals compares numbers, not text', OPS, ['OP-07'], 'NumericEquals', 'aws:MultiFactorAuthAge', '10', '10.0', True),
    ('NumericNotEquals different numbers', OPS, ['OP-07'], 'NumericNotEquals', 'aws:MultiFactorAuthAge', '10', '11', True),
    ('NumericNotEquals equal numbers', OPS, ['OP-07'], 'NumericNotEquals', 'aws:MultiFactorAuthAge', '10', '10', False),
    ('NumericLessThan below', OPS, ['OP-07'], 'NumericLessThan', 'aws:MultiFactorAuthAge', '10', '9', True),
    ('NumericLessThan equal is not less', OPS, ['OP-07'], 'NumericLessThan', 'aws:MultiFactorAuthAge', '10', '10', False),
    ('NumericLessThanEquals equal', OPS, ['OP-07'], 'NumericLessThanEquals', 'aws:MultiFactorAuthAge', '10', '10', True),
    ('NumericGreaterThan a decimal above', OPS, ['OP-07'], 'NumericGreaterThan', 'aws:MultiFactorAuthAge', '10', '10.5', True),
    ('NumericGreaterThanEquals below', OPS, ['OP-07'], 'NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '10', '9.99', False),
    ('NumericLessThan with a missing key is false', OPS, ['IAM-C-03'], 'NumericLessThan', 'aws:MultiFactorAuthAge', '10', None, False),
    ('NumericNotEquals with a missing key is true', OPS, ['IAM-C-03'], 'NumericNotEquals', 'aws:MultiFactorAuthAge', '10', None, True),
    ('numeric values are ORed', MULTI, ['IAM-C-02'], 'NumericLessThan', 'aws:MultiFactorAuthAge', ['5', '20'], '10', True),
    ('a non-numeric request value never matches', OPS, ['OP-07'], 'NumericEquals', 'aws:MultiFactorAuthAge', '10', 'ten', False),
    ('a JSON number policy value', OPS, ['OP-07'], 'NumericLessThanEquals', 'aws:MultiFactorAuthAge', 3600, '120', True),
    ('DateGreaterThan a later time', OPS, ['OP-08'], 'DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', '2026-11-26T12:00:00Z', True),
    ('DateLessThan a later time', OPS, ['OP-08'], 'DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', '2026-11-26T12:00:00Z', False),
    ('DateEquals ISO 8601 against epoch seconds', OPS, ['OP-08'], 'DateEquals', 'aws:EpochTime', '2020-01-01T00:00:00Z', '1577836800', True),
    ('DateLessThanEquals the same instant', OPS, ['OP-08'], 'DateLessThanEquals', 'aws:CurrentTime', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', True),
    ('DateGreaterThanEquals with an epoch policy value', OPS, ['OP-08'], 'DateGreaterThanEquals', 'aws:CurrentTime', '1577836800', '2020-01-01T00:00:01Z', True),
    ('DateNotEquals different days', OPS, ['OP-08'], 'DateNotEquals', 'aws:CurrentTime', '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', True),
    ('DateLessThan with a missing key is false', OPS, ['IAM-C-03'], 'DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', None, False),
    ('DateNotEquals with a missing key is true', OPS, ['IAM-C-03'], 'DateNotEquals', 'aws:CurrentTime', '2030-01-01T00:00:00Z', None, True),
    ('dates with a zone offset compare as instants', OPS, ['OP-08'], 'DateGreaterThan', 'aws:CurrentTime', '2020-01-01T00:00:00+02:00', '2019-12-31T23:00:00Z', True),
    ('DateLessThan just before the bound', OPS, ['OP-08'], 'DateLessThan', 'aws:CurrentTime', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', True),
])

tables['conditions-bool-binary-ip-arn-null'] = cond_cases('misc', [
    ('Bool true matches true', OPS, ['OP-09'], 'Bool', 'aws:SecureTransport', 'true', 'true', True),
    ('Bool true does not match false', OPS, ['OP-09'], 'Bool', 'aws:SecureTransport', 'true', 'false', False),
    ('Bool with a missing key is false', OPS, ['IAM-C-03'], 'Bool', 'aws:MultiFactorAuthPresent', 'false', None, False),
    ('BoolIfExists with a missing key is true', OPS, ['OP-14'], 'BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', None, True),
    ('BoolIfExists with a present key evaluates Bool', OPS, ['OP-14'], 'BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', 'true', False),
    ('Bool accepts a JSON boolean policy value', OPS, ['OP-09'], 'Bool', 'aws:SecureTransport', True, 'true', True),
    ('BinaryEquals equal bytes', OPS, ['OP-10'], 'BinaryEquals', 'key', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', True),
    ('BinaryEquals different bytes', OPS, ['OP-10'], 'BinaryEquals', 'key', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'b3RoZXI=', False),
    ('BinaryEquals with a missing key is false', OPS, ['IAM-C-03'], 'BinaryEquals', 'key', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', None, False),
    ('IpAddress inside the CIDR block', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', '203.0.113.7', True),
    ('IpAddress outside the CIDR block', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', '198.51.100.7', False),
    ('a bare IPv4 address means /32 (match)', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '203.0.113.7', '203.0.113.7', True),
    ('a bare IPv4 address means /32 (no match)', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '203.0.113.7', '203.0.113.8', False),
    ('IPv6 CIDR block (match)', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', '2001:db8:1234:5678::1', True),
    ('IPv6 CIDR block (no match)', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1', False),
    ('NotIpAddress outside the block', OPS, ['OP-11'], 'NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', '198.51.100.7', True),
    ('NotIpAddress inside the block', OPS, ['OP-11'], 'NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', '203.0.113.7', False),
    ('NotIpAddress with a missing key is true', OPS, ['IAM-C-03'], 'NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', None, True),
    ('IpAddress with a missing key is false', OPS, ['IAM-C-03'], 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', None, False),
    ('IPv4 and IPv6 blocks together are ORed', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', ['203.0.113.0/24', '2001:DB8::/32'], '2001:db8::9', True),
    ('0.0.0.0/0 matches every IPv4 address', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '0.0.0.0/0', '10.1.2.3', True),
    ('an IPv6 caller is not in an IPv4 block', OPS, ['OP-11'], 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', '2001:db8::1', False),
    ('ArnLike with wildcards in segments', OPS, ['OP-12'], 'ArnLike', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:topic*', f'arn:aws:sns:us-east-1:{ACCT}:topicA', True),
    ('ArnEquals behaves like ArnLike', OPS, ['OP-12'], 'ArnEquals', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:topic*', f'arn:aws:sns:us-east-1:{ACCT}:topicA', True),
    ('ArnLike compares each colon-separated segment', OPS, ['IAM-C-05'], 'ArnLike', 'aws:SourceArn', f'arn:aws:someservice:*:{ACCT}:finance/*', f'arn:aws:someservice:us-east-2:999999999999:store/abc:{ACCT}:finance/document.txt', False),
    ('StringLike lets * swallow colons', OPS, ['IAM-C-05'], 'StringLike', 'aws:SourceArn', f'arn:aws:someservice:*:{ACCT}:finance/*', f'arn:aws:someservice:us-east-2:999999999999:store/abc:{ACCT}:finance/document.txt', True),
    ('ArnNotLike for another account', OPS, ['OP-13'], 'ArnNotLike', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:*', f'arn:aws:sns:us-east-1:{OTHER}:t', True),
    ('ArnNotEquals with a missing key is true', OPS, ['IAM-C-03'], 'ArnNotEquals', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:*', None, True),
    ('ArnLike with a missing key is false', OPS, ['IAM-C-03'], 'ArnLike', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:*', None, False),
    ('ArnLike is case-sensitive', OPS, ['OP-12'], 'ArnLike', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:Topic', f'arn:aws:sns:us-east-1:{ACCT}:topic', False),
    ('ArnLike * spans / in the resource part', OPS, ['OP-12'], 'ArnLike', 'aws:PrincipalArn', f'arn:aws:iam::{ACCT}:role/*', f'arn:aws:iam::{ACCT}:role/path/Ops', True),
    ('Null true holds for a missing key', OPS, ['OP-15'], 'Null', 'aws:TokenIssueTime', 'true', None, True),
    ('Null true fails for a present key', OPS, ['OP-15'], 'Null', 'aws:TokenIssueTime', 'true', '2026-11-26T12:00:00Z', False),
    ('Null false holds for a present key', OPS, ['OP-15'], 'Null', 'aws:TokenIssueTime', 'false', '2026-11-26T12:00:00Z', True),
    ('Null false fails for a missing key', OPS, ['OP-15'], 'Null', 'aws:TokenIssueTime', 'false', None, False),
    ('StringEqualsIfExists with a missing key is true', OPS, ['OP-14'], 'StringEqualsIfExists', TAG, 'pets', None, True),
    ('StringEqualsIfExists with another value is false', OPS, ['OP-14'], 'StringEqualsIfExists', TAG, 'pets', 'ops', False),
    ('StringEqualsIfExists with the value is true', OPS, ['OP-14'], 'StringEqualsIfExists', TAG, 'pets', 'pets', True),
    ('NumericLessThanIfExists with a missing key is true', OPS, ['OP-14'], 'NumericLessThanIfExists', 'aws:MultiFactorAuthAge', '10', None, True),
    ('IpAddressIfExists with a missing key is true', OPS, ['OP-14'], 'IpAddressIfExists', 'aws:SourceIp', '10.0.0.0/8', None, True),
    ('ArnLikeIfExists with a non-matching ARN is false', OPS, ['OP-14'], 'ArnLikeIfExists', 'aws:SourceArn', f'arn:aws:sns:*:{ACCT}:*', f'arn:aws:sns:us-east-1:{OTHER}:t', False),
])

TAGKEYS = 'aws:TagKeys'
tables['conditions-multivalue'] = cond_cases('multi', [
    ('ForAnyValue: one request value in the policy set', MULTI, ['OP-16'], 'ForAnyValue:StringEquals', TAGKEYS, ['env', 'team'], ['team', 'cost'], True),
    ('ForAnyValue: no request value in the policy set', MULTI, ['OP-16'], 'ForAnyValue:StringEquals', TAGKEYS, ['env'], ['team'], False),
    ('ForAnyValue: a missing key is false', MULTI, ['OP-16'], 'ForAnyValue:StringEquals', TAGKEYS, ['env'], None, False),
    ('ForAnyValue: an empty set is false', MULTI, ['OP-16'], 'ForAnyValue:StringEquals', TAGKEYS, ['env'], [], False),
    ('ForAllValues: every request value in the policy set', MULTI, ['OP-17'], 'ForAllValues:StringEquals', TAGKEYS, ['env', 'team'], ['team'], True),
    ('ForAllValues: one request value outside the set', MULTI, ['OP-17'], 'ForAllValues:StringEquals', TAGKEYS, ['env', 'team'], ['team', 'cost'], False),
    ('ForAllValues: a missing key is true', MULTI, ['OP-17'], 'ForAllValues:StringEquals', TAGKEYS, ['env'], None, True),
    ('ForAllValues: an empty set is true', MULTI, ['OP-17'], 'ForAllValues:StringEquals', TAGKEYS, ['env'], [], True),
    ('ForAllValues:StringLike every value matches a pattern', MULTI, ['OP-17'], 'ForAllValues:StringLike', TAGKEYS, ['env*'], ['env-a', 'env-b'], True),
    ('ForAnyValue:StringLike one value matches', MULTI, ['OP-16'], 'ForAnyValue:StringLike', TAGKEYS, ['*admin*'], ['x', 'sysadmin'], True),
    ('ForAllValues:StringNotEquals no value is forbidden', MULTI, ['OP-17'], 'ForAllValues:StringNotEquals', TAGKEYS, ['secret'], ['a', 'b'], True),
    ('ForAllValues:StringNotEquals one value is forbidden', MULTI, ['OP-17'], 'ForAllValues:StringNotEquals', TAGKEYS, ['secret'], ['a', 'secret'], False),
    ('ForAnyValue:StringNotEquals one value differs', MULTI, ['OP-16'], 'ForAnyValue:StringNotEquals', TAGKEYS, ['secret'], ['secret', 'a'], True),
    ('ForAnyValue:StringNotEquals every value is the forbidden one', MULTI, ['OP-16'], 'ForAnyValue:StringNotEquals', TAGKEYS, ['secret'], ['secret'], False),
    ('ForAllValues:StringEqualsIfExists with a missing key is true', MULTI, ['OP-14', 'OP-17'], 'ForAllValues:StringEqualsIfExists', TAGKEYS, ['env'], None, True),
    ('ForAnyValue:StringEqualsIfExists with a missing key is true', MULTI, ['OP-14', 'OP-16'], 'ForAnyValue:StringEqualsIfExists', TAGKEYS, ['env'], None, True),
    ('ForAnyValue on a single-valued key', MULTI, ['OP-16'], 'ForAnyValue:StringEquals', TAG, ['team', 'pets'], 'pets', True),
    ('ForAllValues:NumericLessThan every value below', MULTI, ['OP-17'], 'ForAllValues:NumericLessThan', 'sizes', ['10'], ['1', '9'], True),
    ('ForAnyValue:IpAddress one address inside', MULTI, ['OP-16'], 'ForAnyValue:IpAddress', 'addresses', ['10.0.0.0/8'], ['192.0.2.1', '10.9.9.9'], True),
])

# Several keys and operators: AND across keys and operators (IAM-C-02).
both = {'StringEquals': {TAG: 'pets', 'aws:PrincipalTag/env': 'prod'}}
two_ops = {'StringEquals': {TAG: 'pets'}, 'IpAddress': {'aws:SourceIp': '10.0.0.0/8'}}
tables['conditions-multivalue'] += [
    case('multi-and-001', 'two keys under one operator, both match', MULTI, ['IAM-C-02'],
         req(context={TAG: 'pets', 'aws:PrincipalTag/env': 'prod'}), 'allowed', identity=[pol(stmt(Condition=both))]),
    case('multi-and-002', 'two keys under one operator, one fails', MULTI, ['IAM-C-02'],
         req(context={TAG: 'pets', 'aws:PrincipalTag/env': 'dev'}), 'implicitDeny', identity=[pol(stmt(Condition=both))]),
    case('multi-and-003', 'two operators, both hold', COND, ['IAM-C-02'],
         req(context={TAG: 'pets', 'aws:SourceIp': '10.1.2.3'}), 'allowed', identity=[pol(stmt(Condition=two_ops))]),
    case('multi-and-004', 'two operators, one fails', COND, ['IAM-C-02'],
         req(context={TAG: 'pets', 'aws:SourceIp': '192.0.2.1'}), 'implicitDeny', identity=[pol(stmt(Condition=two_ops))]),
    case('multi-and-005', 'Deny with StringNotEqualsIfExists and a missing key still denies', OPS, ['OP-14'],
         req(), 'explicitDeny',
         identity=[pol(stmt(), stmt('Deny', Condition={'StringNotEqualsIfExists': {TAG: 'pets'}}))]),
    case('multi-and-006', 'Deny with StringNotEquals does not apply to the allowed value', OPS, ['OP-02'],
         req(context={TAG: 'pets'}), 'allowed',
         identity=[pol(stmt(), stmt('Deny', Condition={'StringNotEquals': {TAG: 'pets'}}))]),
]

E = []
E += [
    case('eval-001', 'no policy at all is an implicit deny', EVAL, ['IAM-EV-01'], req(), 'implicitDeny'),
    case('eval-002', 'a matching Allow allows', EVAL, ['IAM-EV-01'], req(), 'allowed', identity=[pol(stmt())], matched=['identity[0]#0']),
    case('eval-003', 'an explicit Deny beats an Allow in the same policy', EVAL, ['IAM-EV-01'], req(), 'explicitDeny',
         identity=[pol(stmt(), stmt('Deny', resource=f'{API}/prod/GET/*'))], matched=['identity[0]#1']),
    case('eval-004', 'an explicit Deny in another policy beats an Allow', EVAL, ['IAM-EV-01'], req(), 'explicitDeny',
         identity=[pol(stmt()), pol(stmt('Deny'))], matched=['identity[1]#0']),
    case('eval-005', 'a Deny for another resource does not apply', EVAL, ['IAM-EV-05'], req(), 'allowed',
         identity=[pol(stmt(), stmt('Deny', resource=f'{API}/prod/DELETE/*'))]),
    case('eval-006', 'statement order does not matter (Deny first)', EVAL, ['IAM-EV-04'], req(), 'explicitDeny',
         identity=[pol(stmt('Deny'), stmt())]),
    case('eval-007', 'an Allow for another action does not apply', EVAL, ['IAM-EV-05'], req(), 'implicitDeny',
         identity=[pol(stmt(action='execute-api:InvalidateCache'))]),
    case('eval-008', 'Statement may be a single object', EVAL, ['IAM-EV-01'], req(), 'allowed',
         identity=[{'Version': '2012-10-17', 'Statement': stmt()}]),
    case('eval-009', 'a Deny whose condition fails does not apply', EVAL, ['IAM-EV-05'], req(context={'aws:SourceIp': '10.1.1.1'}), 'allowed',
         identity=[pol(stmt(), stmt('Deny', Condition={'NotIpAddress': {'aws:SourceIp': '10.0.0.0/8'}}))]),
    case('eval-010', 'a Deny whose condition holds applies', EVAL, ['IAM-EV-05'], req(context={'aws:SourceIp': '192.0.2.1'}), 'explicitDeny',
         identity=[pol(stmt(), stmt('Deny', Condition={'NotIpAddress': {'aws:SourceIp': '10.0.0.0/8'}}))]),
    case('eval-011', 'an Allow in any of several identity policies suffices', EVAL, ['IAM-EV-01'], req(), 'allowed',
         identity=[pol(stmt(resource=f'{API}/test/*')), pol(stmt())], matched=['identity[1]#0']),
    case('eval-012', 'a Lambda authorizer policy Deny on the method ARN', APIGW + 'api-gateway-lambda-authorizer-output.html', ['LO-03'],
         req(principal=None), 'explicitDeny', identity=[pol(stmt('Deny', resource=PETS))]),
    case('eval-013', 'a Lambda authorizer policy for another method is an implicit deny', APIGW + 'api-gateway-lambda-authorizer-output.html', ['LO-03'],
         req(principal=None), 'implicitDeny', identity=[pol(stmt(resource=f'{API}/prod/POST/pets'))]),
]
A = [
    ('action names are case-insensitive', 'EXECUTE-API:INVOKE', INVOKE, True, ['IAM-ACT-01']),
    ('request action case does not matter', INVOKE, 'Execute-Api:invoke', True, ['IAM-ACT-01']),
    ('service wildcard', 'execute-api:*', INVOKE, True, ['IAM-ACT-01']),
    ('prefix wildcard in the name', 'execute-api:Inv*', INVOKE, True, ['IAM-ACT-01']),
    ('wildcard in the middle of the name', 'execute-api:*Cache', INVOKE, False, ['IAM-ACT-01']),
    ('wildcard matching InvalidateCache', 'execute-api:*Cache', 'execute-api:InvalidateCache', True, ['IAM-ACT-01']),
    ('"*" matches every action', '*', 'execute-api:ManageConnections', True, ['IAM-ACT-01']),
    ('another action does not match', INVOKE, 'execute-api:InvalidateCache', False, ['ACT-01']),
    ('another service does not match', 'lambda:InvokeFunction', INVOKE, False, ['IAM-ACT-01']),
    ('a list of actions is ORed', ['execute-api:ManageConnections', INVOKE], INVOKE, True, ['IAM-ACT-01']),
    ('a prefix must match the service', 'execute:*', INVOKE, False, ['IAM-ACT-01']),
]
for n, (title, pattern, action, ok, refs) in enumerate(A, 1):
    E.append(case(f'action-{n:03d}', title, ACTION, refs, req(action=action), 'allowed' if ok else 'implicitDeny',
                  identity=[pol(stmt(action=pattern))]))
E += [
    case('action-101', 'NotAction allows every other action', NOTACTION, ['IAM-ACT-02'], req(), 'allowed',
         identity=[pol({'Effect': 'Allow', 'NotAction': 'execute-api:ManageConnections', 'Resource': f'{API}/*'})]),
    case('action-102', 'NotAction does not allow a listed action', NOTACTION, ['IAM-ACT-02'], req(action='execute-api:ManageConnections'), 'implicitDeny',
         identity=[pol({'Effect': 'Allow', 'NotAction': 'execute-api:ManageConnections', 'Resource': f'{API}/*'})]),
    case('action-103', 'Deny with NotAction denies every other action', NOTACTION, ['IAM-ACT-02'], req(action='execute-api:ManageConnections'), 'explicitDeny',
         identity=[pol({'Effect': 'Allow', 'Action': '*', 'Resource': '*'}, {'Effect': 'Deny', 'NotAction': INVOKE, 'Resource': '*'})]),
    case('action-104', 'Deny with NotAction leaves the listed action alone', NOTACTION, ['IAM-ACT-02'], req(), 'allowed',
         identity=[pol({'Effect': 'Allow', 'Action': '*', 'Resource': '*'}, {'Effect': 'Deny', 'NotAction': INVOKE, 'Resource': '*'})]),
    case('action-105', 'NotAction is still limited by Resource', NOTACTION, ['IAM-ACT-02'], req(resource=f'arn:aws:execute-api:us-east-1:{ACCT}:other/prod/GET/pets'), 'implicitDeny',
         identity=[pol({'Effect': 'Allow', 'NotAction': 'execute-api:ManageConnections', 'Resource': f'{API}/*'})]),
]
R = [
    ('API-wide wildcard', f'{API}/*', PETS, True, ['ARN-04']),
    ('method wildcard does not cover another verb', f'{API}/prod/GET/*', f'{API}/prod/POST/pets', False, ['ARN-04']),
    ('* spans stages', f'{API}/*/GET/pets', PETS, True, ['ARN-04', 'IAM-RES-02']),
    ('an exact path does not cover a sub-path', f'{API}/*/GET/pets', f'{PETS}/1', False, ['ARN-04']),
    ('* spans / inside the path', f'{API}/prod/*/pets', f'{API}/prod/GET/v1/pets', True, ['IAM-RES-02']),
    ('every execute-api resource', 'arn:aws:execute-api:*:*:*', PETS, True, ['ARN-04']),
    ('any account, one API', 'arn:aws:execute-api:us-east-1:*:petstore/*', PETS, True, ['ARN-04']),
    ('another region does not match', f'arn:aws:execute-api:eu-west-1:{ACCT}:petstore/*', PETS, False, ['IAM-RES-02']),
    ('? matches one character', f'{API}/prod/GET/pets/?', f'{PETS}/1', True, ['IAM-RES-02']),
    ('? does not match two characters', f'{API}/prod/GET/pets/?', f'{PETS}/12', False, ['IAM-RES-02']),
    ('resources are case-sensitive', f'{API}/prod/GET/Pets', PETS, False, ['Q-IAM-3']),
    ('the root resource has a trailing slash', f'{API}/prod/GET/', f'{API}/prod/GET/', True, ['ARN-02']),
    ('a list of resources is ORed', [f'{API}/test/*', PETS], PETS, True, ['IAM-RES-01']),
    ('"*" is every resource', '*', PETS, True, ['IAM-RES-01']),
    ('a wildcard in the account segment does not swallow colons', f'arn:aws:execute-api:us-east-1:*:petstore/*', f'arn:aws:execute-api:us-east-1:{ACCT}:x:petstore/prod', False, ['IAM-RES-02']),
    ('another API does not match', f'arn:aws:execute-api:us-east-1:{ACCT}:other/*', PETS, False, ['ARN-01']),
    ('several wildcards in one segment', f'{API}/pr*/G?T/p*s', PETS, True, ['IAM-RES-02']),
]
for n, (title, pattern, resource, ok, refs) in enumerate(R, 1):
    E.append(case(f'resource-{n:03d}', title, RES if 'Q-' not in refs[0] else RES, refs, req(resource=resource),
                  'allowed' if ok else 'implicitDeny', identity=[pol(stmt(resource=pattern))]))
E += [
    case('resource-101', 'NotResource allows everything else', NOTRES, ['IAM-RES-01'], req(), 'allowed',
         identity=[pol({'Effect': 'Allow', 'Action': INVOKE, 'NotResource': f'{API}/prod/DELETE/*'})]),
    case('resource-102', 'NotResource does not allow a listed resource', NOTRES, ['IAM-RES-01'], req(resource=f'{API}/prod/DELETE/pets'), 'implicitDeny',
         identity=[pol({'Effect': 'Allow', 'Action': INVOKE, 'NotResource': f'{API}/prod/DELETE/*'})]),
    case('resource-103', 'Deny with NotResource denies everything else', NOTRES, ['IAM-RES-01'], req(resource=f'{API}/prod/POST/pets'), 'explicitDeny',
         identity=[pol(stmt(resource='*'), {'Effect': 'Deny', 'Action': INVOKE, 'NotResource': f'{API}/prod/GET/*'})]),
    case('resource-104', 'Deny with NotResource leaves the listed resources alone', NOTRES, ['IAM-RES-01'], req(), 'allowed',
         identity=[pol(stmt(resource='*'), {'Effect': 'Deny', 'Action': INVOKE, 'NotResource': f'{API}/prod/GET/*'})]),
]
tables['evaluation'] = E

RP = 'resource'


def rpol(*statements):
    return pol(*statements)


def rstmt(principal, effect='Allow', **extra):
    return stmt(effect, Principal=principal, **extra)


P = [
    case('rp-001', 'Principal "*" lets anonymous callers in', FLOW, ['RP-04', 'IAM-PRIN-01'], req(principal=None), 'allowed',
         resource=rpol(rstmt('*')), account=ACCT),
    case('rp-002', '{"AWS":"*"} is everyone too', PRIN, ['IAM-PRIN-01'], req(principal=None), 'allowed',
         resource=rpol(rstmt({'AWS': '*'})), account=ACCT),
    case('rp-003', 'an account id names every principal of the account', PRIN, ['RP-06'], req(), 'allowed',
         resource=rpol(rstmt({'AWS': ACCT})), account=ACCT),
    case('rp-004', 'the account root ARN names every principal of the account', PRIN, ['RP-06'], req(), 'allowed',
         resource=rpol(rstmt({'AWS': f'arn:aws:iam::{ACCT}:root'})), account=ACCT),
    case('rp-005', 'a user ARN names that user', PRIN, ['RP-06'], req(), 'allowed',
         resource=rpol(rstmt({'AWS': ALICE['arn']})), account=ACCT),
    case('rp-006', 'a user ARN does not name another user', PRIN, ['RP-06'], req(principal=CAROL), 'implicitDeny',
         resource=rpol(rstmt({'AWS': ALICE['arn']})), account=ACCT),
    case('rp-007', 'an AWS principal never matches an anonymous caller', APIGW + 'apigateway-resource-policies-create-attach.html', ['RP-02'], req(principal=None), 'implicitDeny',
         resource=rpol(rstmt({'AWS': ACCT})), account=ACCT),
    case('rp-008', 'a role ARN names its assumed-role sessions', PRIN, ['IAM-PRIN-01'], req(principal=SESSION), 'allowed',
         resource=rpol(rstmt({'AWS': SESSION['roleArn']})), account=ACCT),
    case('rp-009', 'an assumed-role session ARN names that session', PRIN, ['IAM-PRIN-01'], req(principal=SESSION), 'allowed',
         resource=rpol(rstmt({'AWS': SESSION['arn']})), account=ACCT),
    case('rp-010', 'another role does not match', PRIN, ['IAM-PRIN-01'], req(principal=SESSION), 'implicitDeny',
         resource=rpol(rstmt({'AWS': f'arn:aws:iam::{ACCT}:role/Admin'})), account=ACCT),
    case('rp-011', 'a service principal never matches a user', PRIN, ['IAM-PRIN-01'], req(), 'implicitDeny',
         resource=rpol(rstmt({'Service': 'lambda.amazonaws.com'})), account=ACCT),
    case('rp-012', 'a resource-policy Deny beats an identity Allow', FLOW, ['RP-03'], req(context={'aws:SourceIp': '192.0.2.1'}), 'explicitDeny',
         identity=[pol(stmt())], resource=rpol(rstmt('*', 'Deny', Condition={'NotIpAddress': {'aws:SourceIp': '10.0.0.0/8'}})), account=ACCT),
    case('rp-013', 'a resource-policy Deny naming the user', FLOW, ['RP-03'], req(), 'explicitDeny',
         identity=[pol(stmt())], resource=rpol(rstmt({'AWS': ALICE['arn']}, 'Deny')), account=ACCT),
    case('rp-014', 'same account: identity Allow, resource policy silent -> Allow (Table A)', FLOW, ['RP-03', 'IAM-EV-02'], req(), 'allowed',
         identity=[pol(stmt())], resource=rpol(rstmt({'AWS': CAROL['arn']})), account=ACCT),
    case('rp-015', 'same account: identity silent, resource policy Allow -> Allow (Table A)', FLOW, ['RP-03', 'IAM-EV-02'], req(), 'allowed',
         resource=rpol(rstmt({'AWS': ACCT})), account=ACCT),
    case('rp-016', 'same account: both silent -> implicit deny', FLOW, ['RP-03'], req(), 'implicitDeny',
         identity=[pol(stmt(resource=f'{API}/test/*'))], resource=rpol(rstmt({'AWS': CAROL['arn']})), account=ACCT),
    case('rp-017', 'same account: identity Deny, resource Allow -> explicit deny', FLOW, ['RP-03'], req(), 'explicitDeny',
         identity=[pol(stmt('Deny'))], resource=rpol(rstmt({'AWS': ACCT})), account=ACCT),
    case('rp-018', 'cross account: identity Allow, resource policy silent -> implicit deny (Table B)', XACCT, ['RP-03', 'IAM-EV-02'], req(principal=BOB), 'implicitDeny',
         identity=[pol(stmt())], resource=rpol(rstmt({'AWS': ALICE['arn']})), account=ACCT),
    case('rp-019', 'cross account: identity silent, resource Allow -> implicit deny (Table B)', XACCT, ['RP-03', 'IAM-EV-02'], req(principal=BOB), 'implicitDeny',
         resource=rpol(rstmt({'AWS': BOB['arn']})), account=ACCT),
    case('rp-020', 'cross account: both Allow -> Allow (Table B)', XACCT, ['RP-03', 'IAM-EV-02'], req(principal=BOB), 'allowed',
         identity=[pol(stmt())], resource=rpol(rstmt({'AWS': OTHER})), account=ACCT),
    case('rp-021', 'cross account: resource Deny -> explicit deny', XACCT, ['RP-03'], req(principal=BOB), 'explicitDeny',
         identity=[pol(stmt())], resource=rpol(rstmt({'AWS': OTHER}), rstmt('*', 'Deny', resource=PETS)), account=ACCT),
    case('rp-022', 'cross account: no resource policy -> implicit deny', XACCT, ['IAM-EV-02'], req(principal=BOB), 'implicitDeny',
         identity=[pol(stmt())], account=ACCT),
    case('rp-023', 'NotPrincipal Deny spares a listed user whose account is listed too', NOTPRIN, ['IAM-PRIN-02'], req(), 'allowed',
         identity=[pol(stmt())], resource=rpol({'Effect': 'Deny', 'NotPrincipal': {'AWS': [ALICE['arn'], f'arn:aws:iam::{ACCT}:root']}, 'Action': INVOKE, 'Resource': f'{API}/*'}), account=ACCT),
    case('rp-024', 'NotPrincipal Deny denies an unlisted user', NOTPRIN, ['IAM-PRIN-02'], req(principal=CAROL), 'explicitDeny',
         identity=[pol(stmt())], resource=rpol({'Effect': 'Deny', 'NotPrincipal': {'AWS': [ALICE['arn'], f'arn:aws:iam::{ACCT}:root']}, 'Action': INVOKE, 'Resource': f'{API}/*'}), account=ACCT),
    case('rp-025', 'NotPrincipal Deny without the account denies the listed user too', NOTPRIN, ['IAM-PRIN-02'], req(), 'explicitDeny',
         identity=[pol(stmt())], resource=rpol({'Effect': 'Deny', 'NotPrincipal': {'AWS': ALICE['arn']}, 'Action': INVOKE, 'Resource': f'{API}/*'}), account=ACCT),
    case('rp-026', 'NotPrincipal Deny spares a session when session, role and account are listed', NOTPRIN, ['IAM-PRIN-02'], req(principal=SESSION), 'allowed',
         identity=[pol(stmt())], resource=rpol({'Effect': 'Deny', 'NotPrincipal': {'AWS': [SESSION['arn'], SESSION['roleArn'], ACCT]}, 'Action': INVOKE, 'Resource': f'{API}/*'}), account=ACCT),
    case('rp-027', 'NotPrincipal Deny denies anonymous callers', NOTPRIN, ['IAM-PRIN-02'], req(principal=None), 'explicitDeny',
         resource=rpol(rstmt('*'), {'Effect': 'Deny', 'NotPrincipal': {'AWS': ACCT}, 'Action': INVOKE, 'Resource': f'{API}/*'}), account=ACCT),
    case('rp-028', 'a resource-policy Allow with a condition on aws:SourceIp', APIGW + 'apigateway-resource-policies-examples.html', ['RP-08'], req(principal=None, context={'aws:SourceIp': '192.0.2.1'}), 'implicitDeny',
         resource=rpol(rstmt('*', Condition={'IpAddress': {'aws:SourceIp': '203.0.113.0/24'}})), account=ACCT),
    case('rp-029', 'a resource-policy Allow with a matching aws:SourceIp', APIGW + 'apigateway-resource-policies-examples.html', ['RP-08'], req(principal=None, context={'aws:SourceIp': '203.0.113.9'}), 'allowed',
         resource=rpol(rstmt('*', Condition={'IpAddress': {'aws:SourceIp': '203.0.113.0/24'}})), account=ACCT),
    case('rp-030', 'a list of principals is ORed', PRIN, ['IAM-PRIN-01'], req(principal=CAROL), 'allowed',
         resource=rpol(rstmt({'AWS': [ALICE['arn'], CAROL['arn']]})), account=ACCT),
]
tables['principals-and-accounts'] = P

B = [
    case('pb-001', 'identity Allow and boundary Allow -> Allow', BOUNDARY, ['IAM-EV-01'], req(), 'allowed',
         identity=[pol(stmt())], boundary=[pol(stmt(action='execute-api:*', resource='*'))]),
    case('pb-002', 'identity Allow, boundary silent -> implicit deny', BOUNDARY, ['IAM-EV-01'], req(), 'implicitDeny',
         identity=[pol(stmt())], boundary=[pol(stmt(resource=f'{API}/test/*'))]),
    case('pb-003', 'identity Allow, boundary Deny -> explicit deny', BOUNDARY, ['IAM-EV-01'], req(), 'explicitDeny',
         identity=[pol(stmt())], boundary=[pol(stmt(resource='*'), stmt('Deny', resource=PETS))]),
    case('pb-004', 'identity silent, boundary Allow -> implicit deny (a boundary grants nothing)', BOUNDARY, ['IAM-EV-01'], req(), 'implicitDeny',
         boundary=[pol(stmt(resource='*'))]),
    case('pb-005', 'resource policy naming the user ARN grants despite a silent boundary', EVAL, ['IAM-EV-03'], req(), 'allowed',
         resource=rpol(rstmt({'AWS': ALICE['arn']})), boundary=[pol(stmt(resource=f'{API}/test/*'))], account=ACCT),
    case('pb-006', 'resource policy naming the role is limited by the boundary', EVAL, ['IAM-EV-03'], req(principal=SESSION), 'implicitDeny',
         resource=rpol(rstmt({'AWS': SESSION['roleArn']})), boundary=[pol(stmt(resource=f'{API}/test/*'))], account=ACCT),
    case('pb-007', 'resource policy naming the session ARN grants despite a silent boundary', EVAL, ['IAM-EV-03'], req(principal=SESSION), 'allowed',
         resource=rpol(rstmt({'AWS': SESSION['arn']})), boundary=[pol(stmt(resource=f'{API}/test/*'))], account=ACCT),
    case('pb-008', 'resource policy naming the account is limited by the boundary', EVAL, ['IAM-EV-03'], req(), 'implicitDeny',
         resource=rpol(rstmt({'AWS': ACCT})), boundary=[pol(stmt(resource=f'{API}/test/*'))], account=ACCT),
    case('pb-009', 'a boundary Deny beats a resource policy naming the user', EVAL, ['IAM-EV-01'], req(), 'explicitDeny',
         resource=rpol(rstmt({'AWS': ALICE['arn']})), boundary=[pol(stmt('Deny'))], account=ACCT),
    case('pb-010', 'resource policy naming the account with a boundary that allows', EVAL, ['IAM-EV-03'], req(), 'allowed',
         resource=rpol(rstmt({'AWS': ACCT})), boundary=[pol(stmt(resource='*'))], account=ACCT),
]
tables['permissions-boundaries'] = B

USERS = f'{API}/prod/GET/users'
V = [
    case('var-001', '${aws:username} in Resource (own path)', VARS, ['IAM-V-01', 'IAM-RES-03'], req(resource=f'{USERS}/alice', context={'aws:username': 'alice'}), 'allowed',
         identity=[pol(stmt(resource=f'{USERS}/${{aws:username}}'))]),
    case('var-002', '${aws:username} in Resource (someone else\'s path)', VARS, ['IAM-V-01'], req(resource=f'{USERS}/bob', context={'aws:username': 'alice'}), 'implicitDeny',
         identity=[pol(stmt(resource=f'{USERS}/${{aws:username}}'))]),
    case('var-003', 'a variable without a value matches nothing', VARS, ['IAM-RES-03'], req(principal=SESSION, resource=f'{USERS}/'), 'implicitDeny',
         identity=[pol(stmt(resource=f'{USERS}/${{aws:username}}'))]),
    case('var-004', 'a tag variable in Resource', VARS, ['IAM-V-01'], req(resource=f'{API}/prod/GET/teams/pets/x', context={TAG: 'pets'}), 'allowed',
         identity=[pol(stmt(resource=f'{API}/prod/GET/teams/${{aws:PrincipalTag/team}}/*'))]),
    case('var-005', 'a default value substitutes for a missing key', VARS, ['IAM-V-04'], req(resource=f'{API}/prod/GET/teams/shared/x'), 'allowed',
         identity=[pol(stmt(resource=f"{API}/prod/GET/teams/${{aws:PrincipalTag/team, 'shared'}}/*"))]),
    case('var-006', 'a default value is not used when the key is present', VARS, ['IAM-V-04'], req(resource=f'{API}/prod/GET/teams/shared/x', context={TAG: 'pets'}), 'implicitDeny',
         identity=[pol(stmt(resource=f"{API}/prod/GET/teams/${{aws:PrincipalTag/team, 'shared'}}/*"))]),
    case('var-007', '${*} is a literal asterisk (matches "*")', VARS, ['IAM-V-03'], req(resource=f'{API}/prod/GET/files/a*'), 'allowed',
         identity=[pol(stmt(resource=f'{API}/prod/GET/files/a${{*}}'))]),
    case('var-008', '${*} is not a wildcard', VARS, ['IAM-V-03'], req(resource=f'{API}/prod/GET/files/abc'), 'implicitDeny',
         identity=[pol(stmt(resource=f'{API}/prod/GET/files/a${{*}}'))]),
    case('var-009', '${?} is a literal question mark', VARS, ['IAM-V-03'], req(context={TAG: 'a?'}), 'allowed',
         identity=[pol(stmt(Condition={'StringLike': {TAG: 'a${?}'}}))]),
    case('var-010', '${?} does not match any character', VARS, ['IAM-V-03'], req(context={TAG: 'ab'}), 'implicitDeny',
         identity=[pol(stmt(Condition={'StringLike': {TAG: 'a${?}'}}))]),
    case('var-011', '${$} is a literal dollar sign', VARS, ['IAM-V-03'], req(context={TAG: 'cost$'}), 'allowed',
         identity=[pol(stmt(Condition={'StringEquals': {TAG: 'cost${$}'}}))]),
    case('var-012', 'Version 2008-10-17 treats ${...} as literal text', VERSION, ['IAM-VER-01'], req(resource=f'{USERS}/alice', context={'aws:username': 'alice'}), 'implicitDeny',
         identity=[pol(stmt(resource=f'{USERS}/${{aws:username}}'), version='2008-10-17')]),
    case('var-013', 'Version 2008-10-17 matches the literal text', VERSION, ['IAM-VER-01'], req(resource=f'{USERS}/${{aws:username}}', context={'aws:username': 'alice'}), 'allowed',
         identity=[pol(stmt(resource=f'{USERS}/${{aws:username}}'), version='2008-10-17')]),
    case('var-014', 'no Version means 2008-10-17: no substitution', VERSION, ['IAM-VER-01'], req(resource=f'{USERS}/alice', context={'aws:username': 'alice'}), 'implicitDeny',
         identity=[pol(stmt(resource=f'{USERS}/${{aws:username}}'), version=None)]),
    case('var-015', 'a variable in a condition value', VARS, ['IAM-V-02'], req(context={'aws:PrincipalTag/owner': 'alice', 'aws:username': 'alice'}), 'allowed',
         identity=[pol(stmt(Condition={'StringEquals': {'aws:PrincipalTag/owner': '${aws:username}'}}))]),
    case('var-016', 'a variable in a condition value (mismatch)', VARS, ['IAM-V-02'], req(context={'aws:PrincipalTag/owner': 'bob', 'aws:username': 'alice'}), 'implicitDeny',
         identity=[pol(stmt(Condition={'StringEquals': {'aws:PrincipalTag/owner': '${aws:username}'}}))]),
    case('var-017', 'an unresolved variable: positive string operator does not match', VARS, ['IAM-C-04'], req(principal=SESSION, context={'aws:PrincipalTag/owner': 'alice'}), 'implicitDeny',
         identity=[pol(stmt(Condition={'StringEquals': {'aws:PrincipalTag/owner': '${aws:username}'}}))]),
    case('var-018', 'an unresolved variable: negated string operator matches', VARS, ['IAM-C-04'], req(principal=SESSION, context={'aws:PrincipalTag/owner': 'alice'}), 'allowed',
         identity=[pol(stmt(Condition={'StringNotEquals': {'aws:PrincipalTag/owner': '${aws:username}'}}))]),
    case('var-019', 'variable key names are case-insensitive', VARS, ['IAM-V-01'], req(resource=f'{USERS}/alice', context={'aws:username': 'alice'}), 'allowed',
         identity=[pol(stmt(resource=f'{USERS}/${{AWS:UserName}}'))]),
    case('var-020', 'a variable inside a StringLike pattern keeps the pattern\'s wildcards', VARS, ['IAM-V-02'], req(context={'aws:PrincipalTag/home': 'home/alice/docs', 'aws:username': 'alice'}), 'allowed',
         identity=[pol(stmt(Condition={'StringLike': {'aws:PrincipalTag/home': 'home/${aws:username}/*'}}))]),
]
tables['policy-variables'] = V

RPEX = APIGW + 'apigateway-resource-policies-examples.html'
LOUT = APIGW + 'api-gateway-lambda-authorizer-output.html'
ANY = f'{API}/*'
ip_deny = rpol(rstmt('*', resource=ANY),
               rstmt('*', 'Deny', resource=ANY, Condition={'IpAddress': {'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24']}}))
vpce_only = rpol(rstmt('*', 'Deny', resource=ANY, Condition={'StringNotEquals': {'aws:SourceVpce': 'vpce-1a2b3c4d'}}),
                 rstmt('*', resource=ANY))
vpc_only = rpol(rstmt('*', resource=ANY, Condition={'StringEquals': {'aws:SourceVpc': 'vpc-2f09a348'}}))
account_list = rpol(rstmt({'AWS': [f'arn:aws:iam::{OTHER}:root', f'arn:aws:iam::{OTHER}:role/developer']}, resource=f'{API}/prod/*'))
authorizer = pol(stmt(resource=[f'{API}/prod/GET/pets', f'{API}/prod/GET/pets/*']), stmt('Deny', resource=f'{API}/prod/GET/pets/secret'))
tables['apigateway-scenarios'] = [
    case('apigw-001', 'IP deny list: an address outside it is allowed (anonymous)', RPEX, ['RP-04', 'RP-08'], req(principal=None, context={'aws:SourceIp': '203.0.113.9'}), 'allowed', resource=ip_deny, account=ACCT),
    case('apigw-002', 'IP deny list: a listed address is denied', RPEX, ['RP-07', 'RP-08'], req(principal=None, context={'aws:SourceIp': '192.0.2.44'}), 'explicitDeny', resource=ip_deny, account=ACCT),
    case('apigw-003', 'IP deny list beats an IAM identity allow', RPEX, ['RP-06'], req(context={'aws:SourceIp': '198.51.100.1'}), 'explicitDeny', identity=[pol(stmt())], resource=ip_deny, account=ACCT),
    case('apigw-004', 'private API: the expected VPC endpoint is allowed', RPEX, ['RP-09'], req(principal=None, context={'aws:SourceVpce': 'vpce-1a2b3c4d'}), 'allowed', resource=vpce_only, account=ACCT),
    case('apigw-005', 'private API: another VPC endpoint is denied', RPEX, ['RP-09'], req(principal=None, context={'aws:SourceVpce': 'vpce-99999999'}), 'explicitDeny', resource=vpce_only, account=ACCT),
    case('apigw-006', 'private API: no VPC endpoint at all is denied (StringNotEquals on a missing key)', RPEX, ['RP-09', 'IAM-C-03'], req(principal=None), 'explicitDeny', resource=vpce_only, account=ACCT),
    case('apigw-007', 'source VPC allow: the VPC matches', RPEX, ['RP-08'], req(principal=None, context={'aws:SourceVpc': 'vpc-2f09a348'}), 'allowed', resource=vpc_only, account=ACCT),
    case('apigw-008', 'source VPC allow: no VPC is an implicit deny', RPEX, ['RP-08'], req(principal=None), 'implicitDeny', resource=vpc_only, account=ACCT),
    case('apigw-009', 'cross-account allow list: a role of the listed account with its own identity allow', RPEX, ['RP-06'], req(principal={'arn': f'arn:aws:sts::{OTHER}:assumed-role/developer/dev1', 'accountId': OTHER, 'type': 'AssumedRole', 'roleArn': f'arn:aws:iam::{OTHER}:role/developer'}), 'allowed', identity=[pol(stmt())], resource=account_list, account=ACCT),
    case('apigw-010', 'cross-account allow list: another stage is not granted', RPEX, ['RP-06'], req(principal=BOB, resource=f'{API}/test/GET/pets'), 'implicitDeny', identity=[pol(stmt())], resource=account_list, account=ACCT),
    case('apigw-011', 'cross-account allow list: an unlisted account is not granted', RPEX, ['RP-06'], req(principal={'arn': 'arn:aws:iam::777788889999:user/eve', 'accountId': '777788889999', 'type': 'User'}), 'implicitDeny', identity=[pol(stmt())], resource=account_list, account=ACCT),
    case('apigw-012', 'Lambda authorizer policy: a listed method', LOUT, ['LO-03'], req(principal=None), 'allowed', identity=[authorizer]),
    case('apigw-013', 'Lambda authorizer policy: a sub-resource via the wildcard entry', LOUT, ['LO-03'], req(principal=None, resource=f'{PETS}/42'), 'allowed', identity=[authorizer]),
    case('apigw-014', 'Lambda authorizer policy: an explicit Deny inside it', LOUT, ['LO-03'], req(principal=None, resource=f'{PETS}/secret'), 'explicitDeny', identity=[authorizer]),
    case('apigw-015', 'Lambda authorizer policy: another method is an implicit deny', LOUT, ['LO-03'], req(principal=None, resource=f'{API}/prod/DELETE/pets/42'), 'implicitDeny', identity=[authorizer]),
    case('apigw-016', 'Lambda authorizer allow + resource policy silent (same account, Table A) -> the authorizer decides', FLOW, ['RP-05'], req(principal=None), 'allowed', identity=[authorizer], resource=rpol(rstmt({'AWS': OTHER})), account=ACCT),
    case('apigw-017', 'Lambda authorizer allow + resource policy Deny -> explicit deny', FLOW, ['RP-05'], req(principal=None, context={'aws:SourceIp': '192.0.2.1'}), 'explicitDeny', identity=[authorizer], resource=ip_deny, account=ACCT),
    case('apigw-018', 'the root resource ARN of a stage', IAMINV, ['ARN-02'], req(resource=f'{API}/prod/GET/'), 'allowed', identity=[pol(stmt(resource=f'{API}/prod/GET/'))]),
    case('apigw-019', 'a path parameter value is part of the ARN', IAMINV, ['ARN-02'], req(resource=f'{API}/prod/GET/pets/a1b2'), 'allowed', identity=[pol(stmt(resource=f'{API}/*/GET/pets/*'))]),
    case('apigw-020', 'execute-api:InvalidateCache is its own action', IAMINV, ['ACT-01', 'ACT-02'], req(action='execute-api:InvalidateCache'), 'implicitDeny', identity=[pol(stmt())]),
]

GRAMMAR = IAM + 'reference_policies_grammar.html'
ELEMENTS = IAM + 'reference_policies_elements.html'


def invalid(cid, title, doc, refs, document, paths, kind='identity'):
    return {'id': cid, 'title': title, 'doc': doc, 'refs': refs, 'kind': kind, 'document': document,
            'expected': {'valid': False, 'paths': paths}}


def valid(cid, title, doc, refs, document, kind='identity'):
    return {'id': cid, 'title': title, 'doc': doc, 'refs': refs, 'kind': kind, 'document': document,
            'expected': {'valid': True}}


OK = stmt()
validation = [
    valid('val-001', 'Version 2012-10-17 with a Statement array', VERSION, [], pol(OK)),
    valid('val-002', 'Version 2008-10-17', VERSION, [], pol(OK, version='2008-10-17')),
    valid('val-003', 'no Version', VERSION, [], pol(OK, version=None)),
    valid('val-004', 'Statement as a single object', GRAMMAR, [], {'Version': '2012-10-17', 'Statement': OK}),
    valid('val-005', 'every element may be a string or an array', GRAMMAR, [],
          pol(stmt(action=[INVOKE], resource=[f'{API}/*'], Condition={'StringEquals': {TAG: ['a', 'b']}}))),
    valid('val-006', 'a resource policy with Principal', PRIN, ['RP-01'], pol(rstmt('*')), kind='resource'),
    valid('val-007', 'every operator with IfExists and set prefixes', OPS, [],
          pol(stmt(Condition={'ForAnyValue:StringLikeIfExists': {'k': '*'}, 'ForAllValues:NumericLessThan': {'n': '1'}, 'DateGreaterThanIfExists': {'d': '2020-01-01'}})),),
    invalid('val-101', 'an unknown Version', VERSION, [], {'Version': '2012-10-18', 'Statement': [OK]}, ['$.Version']),
    invalid('val-102', 'Statement is required', GRAMMAR, [], {'Version': '2012-10-17'}, ['$.Statement']),
    invalid('val-103', 'Effect must be Allow or Deny (case-sensitive)', ELEMENTS, [], pol(stmt('allow')), ['$.Statement[0].Effect']),
    invalid('val-104', 'Action or NotAction is required', ACTION, ['IAM-ACT-01'], pol(stmt(action=None)), ['$.Statement[0]']),
    invalid('val-105', 'Action and NotAction together', NOTACTION, ['IAM-ACT-01'], pol(stmt(NotAction=INVOKE)), ['$.Statement[0]']),
    invalid('val-106', 'Resource or NotResource is required', RES, ['IAM-RES-01'], pol(stmt(resource=None)), ['$.Statement[0]']),
    invalid('val-107', 'an unknown condition operator is an error, not a silent false', OPS, [], pol(stmt(Condition={'StringEqualz': {TAG: 'x'}})), ['$.Statement[0].Condition.StringEqualz']),
    invalid('val-108', 'a non-numeric NumericEquals value', OPS, ['OP-07'], pol(stmt(Condition={'NumericEquals': {'n': 'ten'}})), ['$.Statement[0].Condition.NumericEquals["n"]']),
    invalid('val-109', 'a bad CIDR block', OPS, ['OP-11'], pol(stmt(Condition={'IpAddress': {'aws:SourceIp': '10.0.0.0/33'}})), ['$.Statement[0].Condition.IpAddress["aws:SourceIp"]']),
    invalid('val-110', 'a bad date', OPS, ['OP-08'], pol(stmt(Condition={'DateLessThan': {'aws:CurrentTime': 'tomorrow'}})), ['$.Statement[0].Condition.DateLessThan["aws:CurrentTime"]']),
    invalid('val-111', 'NullIfExists does not exist', OPS, ['OP-14'], pol(stmt(Condition={'NullIfExists': {'k': 'true'}})), ['$.Statement[0].Condition.NullIfExists']),
    invalid('val-112', 'a partial wildcard in a principal ARN', PRIN, ['IAM-PRIN-01'], pol(rstmt({'AWS': f'arn:aws:iam::{ACCT}:user/a*'})), ['$.Statement[0].Principal.AWS'], kind='resource'),
    invalid('val-113', 'Principal in an identity policy', PRIN, ['IAM-PRIN-01'], pol(rstmt('*')), ['$.Statement[0].Principal']),
    invalid('val-114', 'a resource policy needs Principal', PRIN, ['RP-01'], pol(OK), ['$.Statement[0]'], kind='resource'),
    invalid('val-115', 'an unknown statement element', ELEMENTS, [], pol(stmt(Effects='Allow')), ['$.Statement[0].Effects']),
    invalid('val-116', 'duplicate Sids', ELEMENTS, [], pol(stmt(Sid='A'), stmt(Sid='A')), ['$.Statement[1].Sid']),
    invalid('val-117', 'an action without a service prefix', ACTION, ['IAM-ACT-01'], pol(stmt(action='Invoke')), ['$.Statement[0].Action']),
    invalid('val-118', 'a resource that is not an ARN', RES, ['IAM-RES-01'], pol(stmt(resource='petstore/*')), ['$.Statement[0].Resource']),
    invalid('val-119', 'a policy variable outside the resource part', RES, ['IAM-RES-03'], pol(stmt(resource='arn:aws:execute-api:${aws:RequestedRegion}:111122223333:petstore/*')), ['$.Statement[0].Resource']),
    invalid('val-120', 'an empty Action array', GRAMMAR, [], pol(stmt(action=[])), ['$.Statement[0].Action']),
    invalid('val-121', 'a condition value that is an object', COND, [], pol(stmt(Condition={'StringEquals': {TAG: {'a': 1}}})), ['$.Statement[0].Condition.StringEquals["aws:PrincipalTag/team"]']),
    invalid('val-122', 'Bool with a non-boolean value', OPS, ['OP-09'], pol(stmt(Condition={'Bool': {'aws:SecureTransport': 'yes'}})), ['$.Statement[0].Condition.Bool["aws:SecureTransport"]']),
    invalid('val-123', 'a set prefix on Null', MULTI, [], pol(stmt(Condition={'ForAnyValue:Null': {'k': 'true'}})), ['$.Statement[0].Condition["ForAnyValue:Null"]']),
    invalid('val-124', 'an unknown principal type', PRIN, [], pol(rstmt({'Aws': ACCT})), ['$.Statement[0].Principal.Aws'], kind='resource'),
    invalid('val-125', 'every problem is reported, not just the first', GRAMMAR, [], pol(stmt('Maybe', action='x')), ['$.Statement[0].Effect', '$.Statement[0].Action']),
    invalid('val-126', 'the document must be an object', GRAMMAR, [], ['not', 'a', 'policy'], ['$']),
]

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'validation.json'), 'w') as f:
    json.dump({'table': 'validation', 'cases': validation}, f, indent=2)
    f.write('\n')

total = 0
for name, cases in tables.items():
    ids = [c['id'] for c in cases]
    assert len(ids) == len(set(ids)), name
    total += len(cases)
    with open(os.path.join(here, f'{name}.json'), 'w') as f:
        json.dump({'table': name, 'cases': cases}, f, indent=2)
        f.write('\n')
print(total, 'decision cases,', len(validation), 'validation cases')
