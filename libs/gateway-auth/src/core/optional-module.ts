/**
 * Loads an optional integration (an AWS SDK client...) at first use, so services that do not
 * configure the feature need not install it.
 * @param name the package, e.g. `@aws-sdk/client-iam`.
 * @param feature what needs it, for the error message.
 * @throws Error naming the package to install when it cannot be loaded.
 */
export async function loadOptionalModule<T>(
  name: string,
  feature: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(
      `${feature} needs the package ${name}, which could not be loaded: install it (npm install ${name})`,
      { cause: error },
    );
  }
}
