/** The launcher's console lines (plain text for a person, unlike the apps' JSON logs). */
export const say = (line: string) => process.stdout.write(`${line}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
