/* The simulated XOP Toolkit: the part of the XOP Toolkit 8 interface that the ZeroMQ XOP glue
 * uses, so that the unchanged glue sources compile natively on Linux and run inside the
 * simulated Igor Pro of host-glue/igor/sim (see host-glue/igor/README.md, "Igor in a box").
 *
 * Written for this project from the XOP Toolkit's documented interface: the type names,
 * constant values and function signatures are those of the toolkit (they are the contract the
 * glue compiles against); the behaviour lives in sim/src and follows the toolkit's
 * documentation. Nothing of the toolkit itself is included. The real headers stay necessary for
 * the real XOP (Windows and macOS builds, and the MinGW compile check in the README). */

#ifndef IGOR_SIM_XOP_STANDARD_HEADERS_H
#define IGOR_SIM_XOP_STANDARD_HEADERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The simulated host is a 64-bit Igor Pro 8 or later. */
#ifndef IGOR64
#define IGOR64 1
#endif
#define XOP_TOOLKIT_VERSION 801

/* --- basic types (WMTypes.h, XOPWinMacSupport.h, XOP.h) -------------------------------------- */

typedef int32_t SInt32;
typedef uint32_t UInt32;
typedef int64_t SInt64;
typedef char *Ptr;
typedef Ptr *Handle;
typedef unsigned int TickCountInt;
typedef SInt64 PSInt;
typedef SInt64 BCInt;
typedef SInt64 IndexInt;
typedef SInt64 CountInt;
typedef SInt64 XOPIORecParam;
typedef SInt64 XOPIORecResult;

/* Exported by the XOP and called by the host. */
#define HOST_IMPORT __attribute__((visibility("default")))

/* --- the IORec: how the host and the XOP exchange messages (XOP.h) ----------------------------- */

struct XOPStuff;
struct IORec {
    short XOPProtocolVersion;
    int XOPType;
    XOPIORecResult result;
    int status;
    void (*callBackProc)(void *);
    void (*XOPEntry)(void);
    struct XOPStuff **stuffHandle;
    XOPIORecParam refCon;
    short message;
    short menuID;
    short itemID;
    short subMenuID;
    short numItems;
    XOPIORecParam items[1]; /* variable length: the host allocates NUM_IOREC_ITEMS */
};
typedef struct IORec IORec;
typedef IORec *IORecPtr;
typedef IORecPtr *IORecHandle;
#define NUM_IOREC_ITEMS 16

/* XOP types (SetXOPType). */
#define TRANSIENT 0
#define RESIDENT 1
#define IDLES 2

/* Messages from the host to the XOP (GetXOPMessage). */
#define INIT 1
#define IDLE 2
#define CLEANUP 12
#define FUNCADDRS 15

/* --- limits and type codes (IgorXOP.h) ------------------------------------------------------ */

#define MAXCMDLEN 2500
#define MAX_DIMENSIONS 10
#define MAX_UNIT_CHARS 49
#define MAX_DIM_LABEL_BYTES 255
#define MAX_OBJ_NAME 255
#define MAX_LONG_NAME 255
#define MAX_PATH_LEN 2000
#define kMDWaveAccessMode0 0

#define NT_CMPLX 1
#define NT_FP32 2
#define NT_FP64 4
#define NT_I8 8
#define NT_I16 0x10
#define NT_I32 0x20
#define NT_I64 0x80
#define NT_UNSIGNED 0x40
#define TEXT_WAVE_TYPE 0
#define DATAFOLDER_TYPE 0x100
#define WAVE_TYPE 0x4000
#define HSTRING_TYPE 0x2000
#define FV_REF_TYPE 0x1000
#define FV_FUNC_TYPE 0x0400
#define FV_STRUCT_TYPE 0x0200
#define WAVE_Z_TYPE 0x8000
#define FV_NORETURN_TYPE 0x00020000

typedef void **waveHndl;
typedef Handle DataFolderHandle;
typedef void *UserFunctionThreadInfoPtr;

/* What GetFunctionInfo reports about a user-defined function. */
struct FunctionInfo {
    char name[MAX_OBJ_NAME + 1];
    int compilationIndex;
    int functionID;
    int subType;
    int isExternalFunction;
    int returnType;
    int imIndex;
    int moduleSerialNum;
    int isThreadSafe;
    int reserved[22];
    int numOptionalParameters;
    int numRequiredParameters;
    int totalNumParameters;
    int parameterTypes[100];
};
typedef struct FunctionInfo FunctionInfo;
typedef FunctionInfo *FunctionInfoPtr;

/* A location in a text document such as the history (paragraph, character offset). */
struct TULoc {
    int paragraph;
    unsigned short pos;
};
typedef struct TULoc TULoc;
typedef struct TULoc *TULocPtr;

/* --- error codes (IgorErrors.h, XOP.h) -------------------------------------------------------- */

#define NOMEM 1
#define NOWAV 2
#define NO_PARENT_DATAFOLDER 383
#define kParameterOutOfRange 823
#define kDoesNotSupportNaNorINF 863
#define FIRST_XOP_ERR 10000

/* --- XOPSupport functions (XOPSupport.h) ------------------------------------------------------ */

extern int igorVersion;

/* Messages and results. */
void XOPInit(IORecHandle ioRecHandle);
void SetXOPEntry(void (*entryPoint)(void));
void SetXOPType(int type);
void SetXOPResult(XOPIORecResult result);
int GetXOPMessage(void);
XOPIORecParam GetXOPItem(int itemNumber);

/* Memory. */
Handle WMNewHandle(BCInt numBytes);
void WMDisposeHandle(Handle h);
BCInt WMGetHandleSize(Handle h);
int WMSetHandleSize(Handle h, BCInt numBytes);
int GetCStringFromHandle(Handle h, char *str, int maxChars);
int PutCStringInHandle(const char *str, Handle h);

/* Host services. */
int RunningInMainThread(void);
void XOPNotice(const char *noticePtr);
void XOPNotice2(const char *noticePtr, UInt32 options);
int SpinProcess(void);
int XOPSilentCommand(const char *cmdPtr);
int SpecialDirPath(const char *pathID, int domain, int flags, int createDir,
                   char pathOut[MAX_PATH_LEN + 1]);
int DateToIgorDateInSeconds(CountInt numValues, short *year, short *month, short *dayOfMonth,
                            double *secs);
int HistoryLines(void);
int HistoryFetchText(TULocPtr startLocPtr, TULocPtr endLocPtr, Handle *textHPtr);

/* User-defined functions. */
int GetFunctionInfo(const char *name, FunctionInfoPtr fip);
int CallFunction(struct FunctionInfo *fip, void *parameters, void *resultPtr);

/* Waves. */
int MDMakeWave(waveHndl *waveHPtr, const char *waveName, DataFolderHandle dataFolderH,
               CountInt dimSizes[MAX_DIMENSIONS + 1], int type, int overwrite);
int MDChangeWave(waveHndl waveH, int dataType, CountInt dimSizes[MAX_DIMENSIONS + 1]);
int MDChangeWave2(waveHndl waveH, int dataType, CountInt dimSizes[MAX_DIMENSIONS + 1], int mode);
int KillWave(waveHndl waveHandle);
int HoldWave(waveHndl waveH);
int ReleaseWave(waveHndl *waveRefPtr);
int WaveType(waveHndl waveHandle);
CountInt WavePoints(waveHndl waveHandle);
void *WaveData(waveHndl waveHandle);
void WaveHandleModified(waveHndl waveHandle);
TickCountInt WaveModDate(waveHndl waveH);
void WaveName(waveHndl waveHandle, char name[MAX_OBJ_NAME + 1]);
int MDGetWaveDimensions(waveHndl waveH, int *numDimensionsPtr,
                        CountInt dimSizes[MAX_DIMENSIONS + 1]);
int MDGetWaveScaling(waveHndl waveH, int dimension, double *sfA, double *sfB);
int MDSetWaveScaling(waveHndl waveH, int dimension, const double *sfA, const double *sfB);
int MDGetWaveUnits(waveHndl waveH, int dimension, char units[MAX_UNIT_CHARS + 1]);
int MDSetWaveUnits(waveHndl waveH, int dimension, const char units[MAX_UNIT_CHARS + 1]);
int MDGetDimensionLabel(waveHndl waveH, int dimension, IndexInt element,
                        char label[MAX_DIM_LABEL_BYTES + 1]);
int MDSetDimensionLabel(waveHndl waveH, int dimension, IndexInt element,
                        const char label[MAX_DIM_LABEL_BYTES + 1]);
Handle WaveNoteCopy(waveHndl waveHandle);
void SetWaveNote(waveHndl waveHandle, Handle noteHandle);
int MDGetTextWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], Handle textH);
int MDSetTextWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], Handle textH);
int GetTextWaveData(waveHndl waveH, int mode, Handle *textDataHPtr);
int SetTextWaveData(waveHndl waveH, int mode, Handle textDataH);
int MDAccessNumericWaveData(waveHndl waveH, int accessMode, BCInt *dataOffsetPtr);
int MDGetNumericWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], double value[2]);
int MDSetNumericWavePointValue(waveHndl waveH, IndexInt indices[MAX_DIMENSIONS], double value[2]);
int MDStoreDPDataInNumericWave(waveHndl waveH, const double *dPtr);
waveHndl FetchWave(const char *waveName);

/* Data folders. */
int GetRootDataFolder(int refNum, DataFolderHandle *rootFolderHPtr);
int GetCurrentDataFolder(DataFolderHandle *currentFolderHPtr);
int SetCurrentDataFolder(DataFolderHandle dataFolderH);
int GetParentDataFolder(DataFolderHandle dataFolderH, DataFolderHandle *parentFolderHPtr);
int GetNamedDataFolder(DataFolderHandle startingDataFolderH,
                       const char dataFolderPath[MAXCMDLEN + 1], DataFolderHandle *dataFolderHPtr);
int GetDataFolderNameOrPath(DataFolderHandle dataFolderH, int flags,
                            char dataFolderPathOrName[MAXCMDLEN + 1]);
int NewDataFolder(DataFolderHandle parentFolderH, const char newDataFolderName[MAX_OBJ_NAME + 1],
                  DataFolderHandle *newDataFolderHPtr);
int KillDataFolder(DataFolderHandle dataFolderH);
int GetWavesDataFolder(waveHndl waveH, DataFolderHandle *dataFolderHPtr);
int HoldDataFolder(DataFolderHandle dfH);
int ReleaseDataFolder(DataFolderHandle *dfRefPtr);

#ifdef __cplusplus
}
#endif

#endif /* IGOR_SIM_XOP_STANDARD_HEADERS_H */
