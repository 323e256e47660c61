#!/usr/bin/env node
const { program } = require('commander');
const { mint, inspect } = require('../lib');

program.name('acme-token').version(require('../package.json').version);

program
  .command('mint')
  .description('sign a token for the local stack')
  .option('--sub <subject>', 'subject claim', 'dev')
  .option('-s, --secret <secret>', 'HS256 signing secret', 'acme-local-stack')
  .option('--unsigned', 'produce an alg "none" token (for the mock gateway)')
  .option('--ttl <duration>', 'lifetime', '1h')
  .action((opts) => {
    console.log(mint({ sub: opts.sub }, { secret: opts.secret, unsigned: opts.unsigned, expiresIn: opts.ttl }));
  });

program
  .command('inspect <token>')
  .description('print header and claims (no signature check)')
  .action((token) => {
    console.log(JSON.stringify(inspect(token), null, 2));
  });

program.parse();
