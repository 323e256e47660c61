const test = require('node:test');
const assert = require('node:assert');
const JWT = require('jsonwebtoken');
const { mint } = require('../lib');

test('mint signs with the given secret', () => {
  const token = mint({ sub: 'a' }, { secret: 'cli-test-secret' });
  assert.equal(JWT.verify(token, 'cli-test-secret').sub, 'a');
});
