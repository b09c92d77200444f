/** Built by esbuild.mjs from @vscode/codicons: only the icons the chat view uses, as inline SVG markup. */
declare module 'virtual:codicons' {
  const icons: Record<string, string>;
  export default icons;
}
