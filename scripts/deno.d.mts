export declare function findDeno(): string;
export declare function denoEnv(extra?: Record<string, string>): Record<string, string | undefined>;
