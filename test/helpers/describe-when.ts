// A suite that needs a tool the machine may lack (redis-server, botocore): run it when the tool is
// there, else skip it after a LOUD warning naming how to install it — a silently skipped suite
// looks like a green one. `.ci/run` installs every such tool.

/** `describe` when `available`, else `describe.skip` after a warning that `missing` is missing. */
export function describeWhen(
  available: boolean,
  name: string,
  missing: string,
  install: string,
  body: () => void,
): void {
  if (available) {
    describe(name, body);
    return;
  }
  const banner = '!'.repeat(100);
  console.warn(
    `\n${banner}\n!!! SKIPPING "${name}": ${missing}.\n` +
      `!!! Install it (${install}) — .ci/run does — to run this suite.\n${banner}\n`,
  );
  describe.skip(name, body);
}
