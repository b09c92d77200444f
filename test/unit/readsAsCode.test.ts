import assert from 'node:assert/strict';
import { readsAsCode } from '../../src/core/rewrite/readsAsCode';

/** Answers without a code block that are code in the file's language: used as the proposal. */
const CODE: readonly [string, string][] = [
  ['typescript', 'export function average(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0) / values.length;\n}\n'],
  ['typescript', '/**\n * Returns the mean of the values.\n * An empty array gives NaN.\n */\nexport const mean = (v: number[]) => sum(v) / v.length;\n'],
  ['javascript', '// Sum the values, then divide.\nconst total = values.reduce((a, b) => a + b, 0);\nreturn total / values.length;\n'],
  ['python', 'def average(values):\n    """Return the mean of values.\n\n    An empty list raises ZeroDivisionError.\n    """\n    return sum(values) / len(values)\n'],
  ['python', '"""Helpers for statistics.\n\nThis module has one function.\n"""\n\nimport math\n\n\n@cache\ndef mean(values):\n    if not values:\n        return math.nan\n    else:\n        pass\n'],
  ['python', '# Compute the mean of the values.\nfrom statistics import mean\n'],
  ['go', 'func Average(values []float64) float64 {\n\tvar total float64\n\tfor _, v := range values {\n\t\ttotal += v\n\t}\n\treturn total / float64(len(values))\n}\n'],
  ['rust', 'fn average(values: &[f64]) -> f64 {\n    values.iter().sum::<f64>() / values.len() as f64\n}\n'],
  ['java', 'public static double average(int[] values) {\n    return Arrays.stream(values).average().orElse(Double.NaN);\n}\n'],
  ['c', '#include <stdio.h>\n\nint main(void) {\n    printf("Hello, world.\\n");\n    return 0;\n}\n'],
  ['ruby', 'def average(values)\n  values.sum.fdiv(values.size)\nend\n'],
  ['sql', 'SELECT name, AVG(score) AS mean\nFROM results\nWHERE year = 2024\nGROUP BY name;\n'],
  ['shellscript', 'set -euo pipefail\nnpm ci\nnpm test\n'],
  ['yaml', 'name: CI\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n'],
  ['css', '.card {\n  color: red;\n  margin: 0 auto;\n}\n'],
  ['html', '<p class="lead">\n  Welcome to the site. Read the guide first.\n</p>\n'],
  ['json', '{\n  "name": "app",\n  "version": "1.0.0"\n}\n'],
  ['markdown', '# Average\n\nReturns the mean of the values. It is not defined for an empty list.\n'],
  ['plaintext', 'Dear team,\nThe release is on Friday.\n'],
];

/** Answers that are not code (or are code mixed with sentences): not applied. */
const PROSE: readonly [string, string][] = [
  ['typescript', 'Sure! Here is the rewritten code.'],
  ['typescript', "I'm sorry, but I can't help with that."],
  ['typescript', 'The function looks correct already. No changes are needed.'],
  ['python', 'Could you clarify what the function should return for an empty list?'],
  ['typescript', '## Summary\n\n- Replaced the loop with `reduce`\n- Kept the return type\n'],
  ['typescript', 'Done.'],
  ['typescript', 'Try this:'],
  ['typescript', '这段代码已经是最优的，不需要修改。'],
  ['typescript', 'Here is the code:\nconst a = 1;\nconst b = 2;\n'],
  ['typescript', 'const a = 1;\nconst b = 2;\n\nThis declares the two constants you need.\n'],
  ['typescript', 'Sure thing\nx = 1\n'],
  ['typescript', 'const a = 1;\nconst b = 2;\n* Replaced the loop with a reduce call.\n'],
  ['typescript', 'I changed the loop into a reduce call and kept the types'],
  ['python', 'The updated version uses sum and len, which is shorter'],
  ['typescript', ''],
  ['typescript', '\n\n'],
];

describe('readsAsCode', () => {
  for (const [language, text] of CODE) {
    it(`${language} code reads as code: ${JSON.stringify(text.slice(0, 40))}`, () => {
      assert.equal(readsAsCode(text, language), true);
      assert.equal(readsAsCode(text.replace(/\n/g, '\r\n'), language), true, 'with CRLF too');
    });
  }
  for (const [language, text] of PROSE) {
    it(`prose in a ${language} file is not code: ${JSON.stringify(text.slice(0, 40))}`, () => {
      assert.equal(readsAsCode(text, language), false);
    });
  }
});
