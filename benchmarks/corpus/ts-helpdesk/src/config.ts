export default {
  port: Number(process.env.PORT ?? 4000),
  jwtSecret: 'helpdesk-secret-change-me',
  jwtIssuer: 'helpdesk',
  agentTokenTtl: '8h',
  attachmentsBucket: process.env.ATTACHMENTS_BUCKET ?? 'helpdesk-attachments',
};
