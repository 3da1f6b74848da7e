/** The package version recorded in every log and model file; a test keeps it equal to package.json. */
export const VERSION = '0.1.0';
