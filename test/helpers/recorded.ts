/**
 * A list a local stand-in of an outside service records into, with `when`: a promise of the first item
 * that matches, resolved as soon as it is recorded.
 */
export function recorded<T>() {
  const items: T[] = [];
  const waiting = new Set<() => void>();
  return {
    items,
    push(item: T) {
      items.push(item);
      waiting.forEach((look) => look());
    },
    when(matches: (item: T) => boolean): Promise<T> {
      return new Promise((resolve) => {
        const look = () => {
          const found = items.find(matches);
          if (found) {
            waiting.delete(look);
            resolve(found);
          }
        };
        waiting.add(look);
        look();
      });
    },
  };
}
