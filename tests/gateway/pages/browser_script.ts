/**
 * Runs the pages' browser scripts in Deno, for their parts that need no DOM: the scripts are
 * evaluated together in one function scope, as the page does, and the names asked for are
 * returned. micromark's named character references need a DOM (`decode-named-character-
 * reference`'s browser build parses `&name;` with an element): here none decodes.
 */
export function browserFunctions<T>(sources: string[], names: string[]): T {
  const document = {
    createElement: () => ({
      innerHTML: "",
      get textContent() {
        return this.innerHTML;
      },
    }),
  };
  const body = `${sources.join("\n")}\nreturn { ${names.join(", ")} };`;
  return new Function("document", body)(document);
}
