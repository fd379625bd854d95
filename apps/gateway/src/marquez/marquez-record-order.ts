/** How the Marquez reads order and compare what shards send: by name, and by an ISO time (0 when absent). */
export const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
export const timeOf = (value: string | null | undefined) => (value ? Date.parse(value) : 0);
