import { NextResponse, type NextRequest } from 'next/server';
import { jwtVerify } from 'jose';

// Tokens for the internal reporting API (issued by the python backend).
const secret = new TextEncoder().encode('your-256-bit-secret');

export async function middleware(req: NextRequest) {
  const token = req.cookies.get('report_token')?.value;
  if (!token) {
    return NextResponse.redirect(new URL('/login', req.url));
  }
  try {
    await jwtVerify(token, secret, { algorithms: ['HS256'] });
    return NextResponse.next();
  } catch {
    return NextResponse.redirect(new URL('/login?error=token', req.url));
  }
}

export const config = { matcher: ['/reports/:path*'] };
