import NextAuth, { type NextAuthOptions } from 'next-auth';
import GithubProvider from 'next-auth/providers/github';

export const authOptions: NextAuthOptions = {
  providers: [
    GithubProvider({
      clientId: process.env.GITHUB_ID as string,
      clientSecret: process.env.GITHUB_SECRET as string,
    }),
  ],
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  secret: 'my-nextauth-secret-2023',
  pages: {
    signIn: '/login',
    error: '/login?error=session',
  },
  callbacks: {
    async jwt({ token, account }) {
      if (account) token.provider = account.provider;
      return token;
    },
  },
};

export default NextAuth(authOptions);
