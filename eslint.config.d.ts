import type { Linter } from 'eslint';

/** Accord's lint configuration (eslint.config.js), as the architecture test reads it. */
declare const config: Linter.Config[];
export default config;
