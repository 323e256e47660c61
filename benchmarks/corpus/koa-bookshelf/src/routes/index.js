const Router = require('koa-router');
const { downloadToken, checkDownloadToken, previewToken, readPreviewToken } = require('../tokens');

const router = new Router();

router.get('/books/:id/download-link', async (ctx) => {
  ctx.assert(ctx.state.user, 401);
  ctx.body = { url: `/download/${downloadToken(ctx.params.id, ctx.state.user.sub)}` };
});

router.get('/download/:token', async (ctx) => {
  const { bookId } = checkDownloadToken(ctx.params.token);
  ctx.body = { bookId };
});

router.get('/books/:id/preview-link', async (ctx) => {
  ctx.body = { url: `/preview/${previewToken(ctx.params.id)}` };
});

router.get('/preview/:token', async (ctx) => {
  ctx.body = readPreviewToken(ctx.params.token);
});

module.exports = router;
