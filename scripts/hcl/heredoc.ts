/**
 * cdktf's HCL writer renders a multi-line string inside a list as a heredoc and puts the list's
 * comma straight after the closing marker (`EOF,`). HCL only ends a heredoc at a line that holds
 * the marker alone, so Terraform reads the rest of the file as the string: "Unterminated template
 * string". Moving the comma to its own line keeps the same list and makes the file parse.
 */
export function repairHeredocClosers(hcl: string): string {
  const lines = hcl.split('\n');
  const out: string[] = [];
  let marker: string | undefined;
  for (const line of lines) {
    if (marker === undefined) {
      out.push(line);
      // `<<EOF` or `<<-EOF` at the end of a line opens a heredoc (HCL native syntax spec, "Template Expressions").
      marker = /<<-?([A-Za-z_][A-Za-z0-9_-]*)\s*$/.exec(line)?.[1];
      continue;
    }
    const closer = new RegExp(`^(\\s*)${marker}(\\s*[,\\])}].*)?$`).exec(line);
    if (closer) {
      if (out[out.length - 1] === '') out.pop();
      out.push(`${closer[1]}${marker}`);
      if (closer[2]) out.push(`${closer[1]}${closer[2].trimStart()}`);
      marker = undefined;
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}
