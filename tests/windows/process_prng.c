/* Test-only stand-in for Windows 10's bcryptprimitives.dll, which Wine 8.0 lacks: Rust's standard
 * library imports ProcessPrng from it, so without this DLL beside them the Windows test binaries
 * exit at once under Wine (status 53). It exports ProcessPrng over RtlGenRandom (advapi32's
 * SystemFunction036). scripts/lib/windows.sh compiles it with MinGW and copies it next to the test
 * executables only; it is never built into, or shipped with, the product. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
