// @11ty/eleventy ships no type declarations: the part of its API the site build uses.
declare module '@11ty/eleventy' {
  export interface EleventyConfig {
    addGlobalData(name: string, value: unknown): void;
    addPlugin(plugin: unknown, options?: unknown): void;
  }
  export interface EleventyOptions {
    configPath?: string;
    pathPrefix?: string;
    quietMode?: boolean;
    config?: (config: EleventyConfig) => void;
  }
  export const HtmlBasePlugin: unknown;
  export class Eleventy {
    constructor(input: string, output: string, options?: EleventyOptions);
    write(): Promise<unknown>;
  }
}
