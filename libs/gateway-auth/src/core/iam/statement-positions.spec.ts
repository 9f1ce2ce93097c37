// https://docs.aws.amazon.com/IAM/latest/APIReference/API_Statement.html (StartPosition / EndPosition)
import { statementSpans } from './statement-positions';

describe('statementSpans', () => {
  it('locates each statement of an array, skipping strings with braces', () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Id": "a}b{\\"",\n  "Statement": [\n    {"Effect": "Allow", "Resource": "x}"},\n    {"Effect": "Deny"}\n  ]\n}';
    expect(statementSpans(text)).toEqual([
      { start: { Line: 5, Column: 5 }, end: { Line: 5, Column: 41 } },
      { start: { Line: 6, Column: 5 }, end: { Line: 6, Column: 22 } },
    ]);
  });

  it('locates a single statement object on one line', () => {
    const text = '{"Statement":{"Effect":"Allow"},"Version":"2012-10-17"}';
    expect(statementSpans(text)).toEqual([
      { start: { Line: 1, Column: 14 }, end: { Line: 1, Column: 31 } },
    ]);
  });

  it('returns nothing for text that is not a policy object', () => {
    expect(statementSpans('[1,2]')).toEqual([]);
    expect(statementSpans('{"Version":"2012-10-17"}')).toEqual([]);
    expect(statementSpans('')).toEqual([]);
  });
});
