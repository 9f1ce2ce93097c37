import type { XMLParser as FastXmlParser, XMLValidator as FastXmlValidator } from 'fast-xml-parser';
import { loadOptionalDependency } from '../../optional-dependency';
import { principalFromArn, type ArnPrincipal } from '../../sigv4/principal-from-arn';

/** What STS says about the caller (`GetCallerIdentityResult`). */
export interface StsCallerIdentity {
  /** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`, `arn:aws:iam::ACCT:user/PATH/NAME`... */
  arn: string;
  /** `AROA...:session`, `AIDA...`, `ACCT:name` (the `aws:userid` value). */
  userId: string;
  account: string;
  /** What the ARN says (type, role name, session...). */
  parsed: ArnPrincipal;
}

const USER_ID = /^[\w+=,.@:-]{1,256}$/;
const ACCOUNT = /^\d{12}$/;

/** Parses one STS answer body; `undefined` for anything but one strict answer. */
export type GetCallerIdentityParser = (
  xml: string,
  partition: string,
) => StsCallerIdentity | undefined;

/**
 * The parser of STS's `GetCallerIdentityResponse`, built on fast-xml-parser: an optional peer
 * dependency (only `iam.identityProofs` needs it), loaded here when that option is configured.
 * Configured for a fixed, tiny document: no entity expansion (DOCTYPE and entity references are
 * refused before parsing anyway), tag values kept as text (an account id is not a number), every
 * element an array so a repeated element is seen, attributes (namespaces) ignored.
 *
 * The answer is read strictly: exactly one root element of that name holding exactly one
 * `GetCallerIdentityResult` with one each of `Arn`, `UserId` and `Account` (text), and nothing else
 * but `ResponseMetadata`; no DOCTYPE, entity, CDATA or character references anywhere; the ARN a
 * principal ARN of the expected partition (the partition of the endpoint that answered: `aws`,
 * `aws-cn`...) whose account equals `Account`. An answer nested in something else
 * (CVE-2020-16250's shape) is refused by the root check. The caller fails closed on `undefined`;
 * the text is never logged.
 * @throws ConfigError naming `fast-xml-parser` and its install command when it is not installed.
 * @see https://github.com/NaturalIntelligence/fast-xml-parser/blob/master/docs/v4/2.XMLparseOptions.md
 */
export function createGetCallerIdentityParser(neededFor: string): GetCallerIdentityParser {
  const { XMLParser, XMLValidator } = loadOptionalDependency<{
    XMLParser: typeof FastXmlParser;
    XMLValidator: typeof FastXmlValidator;
  }>('fast-xml-parser', neededFor);
  const parser = new XMLParser({
    ignoreAttributes: true,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    trimValues: true,
    isArray: () => true,
  });
  return (xml, partition) => {
    // Real answers hold none of these; refusing them outright leaves no entity handling to trust.
    if (xml.includes('<!') || xml.includes('&')) return undefined;
    if (XMLValidator.validate(xml) !== true) return undefined;
    let document: unknown;
    try {
      document = parser.parse(xml);
    } catch {
      return undefined;
    }
    return readCallerIdentity(document, partition);
  };
}

/** The caller identity of a parsed document (every element an array), strictly checked. */
function readCallerIdentity(document: unknown, partition: string): StsCallerIdentity | undefined {
  const root = onlyChild(document, 'GetCallerIdentityResponse', ['GetCallerIdentityResponse']);
  if (root === undefined) return undefined;
  const result = onlyChild(root, 'GetCallerIdentityResult', [
    'GetCallerIdentityResult',
    'ResponseMetadata',
  ]);
  if (result === undefined || !allowedKeys(result, ['Arn', 'UserId', 'Account'])) return undefined;
  const arn = text(result, 'Arn');
  const userId = text(result, 'UserId');
  const account = text(result, 'Account');
  if (arn === undefined || userId === undefined || account === undefined) return undefined;
  if (!ACCOUNT.test(account) || !USER_ID.test(userId) || arn.length > 2048) return undefined;
  const parsed = principalFromArn(arn);
  if (parsed === undefined || parsed.accountId !== account || parsed.partition !== partition) {
    return undefined;
  }
  return { arn, userId, account, parsed };
}

/** The single element `name` of `parent`, whose keys must be within `allowed`. */
function onlyChild(
  parent: unknown,
  name: string,
  allowed: readonly string[],
): Record<string, unknown> | undefined {
  if (!isRecord(parent) || !allowedKeys(parent, allowed)) return undefined;
  const list = parent[name];
  if (!Array.isArray(list) || list.length !== 1) return undefined;
  const only = list[0] as unknown;
  return isRecord(only) ? only : undefined;
}

/** The text of the single leaf element `name` of `parent`. */
function text(parent: Record<string, unknown>, name: string): string | undefined {
  const list = parent[name];
  if (!Array.isArray(list) || list.length !== 1) return undefined;
  const value = list[0] as unknown;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function allowedKeys(record: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(record).every((key) => allowed.includes(key));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
