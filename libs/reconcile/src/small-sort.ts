/**
 * Sorting in place without the builtin's working copy for the short lists the rules sort per subject (a dataset's
 * update times, a job's runs): an insertion sort, stable like Array.prototype.sort, so the order is the builtin's
 * for any consistent comparator. Longer lists go to the builtin.
 */
const SHORT = 24;

export const sortInPlace = <T>(list: T[], compare: (a: T, b: T) => number): T[] => {
  if (list.length > SHORT) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const x = list[i];
    let j = i - 1;
    // strictly greater moves: equal elements keep their order (stable)
    while (j >= 0 && compare(list[j], x) > 0) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = x;
  }
  return list;
};
