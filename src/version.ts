/** tokenledger's own version, recorded in every summary as the parser that produced it. */
import packageJson from '../package.json' with { type: 'json' };

export const TOKENLEDGER_VERSION: string = packageJson.version;
