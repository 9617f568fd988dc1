// Secrets never reach the audit trail: values of secret flags and passwords inside URLs are masked.

const SECRET_FLAGS = /^--(smtp-url|smtp-password|password|secret|token|api-key)$/i;

export function maskUrlPassword(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}

export function maskArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && SECRET_FLAGS.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=***`);
    } else if (SECRET_FLAGS.test(arg) && i + 1 < args.length) {
      out.push(arg, '***');
      i++;
    } else {
      out.push(maskUrlPassword(arg));
    }
  }
  return out;
}
