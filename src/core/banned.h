/*
 * banned.h - functions rift code must not call.
 *
 * Included last by every rift translation unit (through the build's
 * -include flag).  Each banned name expands to an undeclared identifier, so
 * a call fails to compile and names the replacement.
 */
#ifndef RIFT_BANNED_H
#define RIFT_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_rift

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)

#endif
