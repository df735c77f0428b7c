export declare const SWIFTSHADER_ENV: { LD_LIBRARY_PATH: string; VK_ICD_FILENAMES: string };
export declare const NODE_BUNDLE: string;
export declare function buildNodeBundle(): Promise<string>;
export declare function nodeBenchEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
