/* User-defined functions: the tests define them as C functions with Igor signatures (the
 * procedure window of the simulation); GetFunctionInfo and CallFunction behave as the XOP
 * Toolkit documents them (parameter structure in declared order with two-byte packing,
 * by-value string handles passed to the function, by-reference and multiple-return values
 * written back into the structure, results owned by the caller). */

#include "sim_internal.h"

#include <math.h>

#define NEED_COMPILE 335
#define EXPECTED_FUNCTION_NAME 210
#define BAD_COMPILATION_INDEX 913

struct sim_function {
    char name[2 * MAX_OBJ_NAME + 2]; /* may be Module#Function */
    int return_type;
    int param_types[100];
    int num_params;
    int num_required;
    igor_user_function fn;
};

static struct sim_function *functions;
static size_t num_functions;
static int compiled = 1;
static int compilation_index = 1;

void sim_reset_functions(void)
{
    free(functions);
    functions = NULL;
    num_functions = 0;
    compiled = 1;
    compilation_index++;
}

void igor_define_function(const char *name, int return_type, const int *param_types,
                          int num_params, int num_required, igor_user_function fn)
{
    struct sim_function *f;

    if (num_params < 0 || num_params > 100 || num_required > num_params ||
        strlen(name) >= sizeof f->name) {
        sim_fatal("igor_define_function", name);
    }
    functions = (struct sim_function *)realloc(functions, (num_functions + 1) * sizeof *functions);
    if (functions == NULL) {
        sim_fatal("igor_define_function", "out of memory");
    }
    f = &functions[num_functions++];
    memset(f, 0, sizeof *f);
    strcpy(f->name, name);
    f->return_type = return_type;
    if (num_params > 0) {
        memcpy(f->param_types, param_types, (size_t)num_params * sizeof *param_types);
    }
    f->num_params = num_params;
    f->num_required = num_required;
    f->fn = fn;
    compilation_index++; /* defining a function recompiles the procedures */
}

void igor_set_procedures_compiled(int is_compiled)
{
    compiled = is_compiled;
    compilation_index++;
}

int GetFunctionInfo(const char *name, FunctionInfoPtr fip)
{
    size_t i;

    memset(fip, 0, sizeof *fip);
    if (!compiled) {
        return NEED_COMPILE;
    }
    for (i = 0; i < num_functions; i++) {
        const struct sim_function *f = &functions[i];

        if (strcasecmp(f->name, name) == 0) {
            /* The name without a module prefix. */
            const char *hash = strchr(f->name, '#');
            const char *plain = hash != NULL ? hash + 1 : f->name;
            const size_t len = strlen(plain) < MAX_OBJ_NAME ? strlen(plain) : MAX_OBJ_NAME;

            memcpy(fip->name, plain, len);
            fip->name[len] = '\0';
            fip->compilationIndex = compilation_index;
            fip->functionID = (int)i + 1;
            fip->returnType = f->return_type;
            fip->isThreadSafe = 0;
            fip->numRequiredParameters = f->num_required;
            fip->numOptionalParameters = f->num_params - f->num_required;
            fip->totalNumParameters = f->num_params;
            memcpy(fip->parameterTypes, f->param_types, sizeof fip->parameterTypes);
            return 0;
        }
    }
    return EXPECTED_FUNCTION_NAME;
}

/* Size of a parameter's field in the structure. */
static size_t field_size(int type)
{
    if ((type & (WAVE_TYPE | DATAFOLDER_TYPE | HSTRING_TYPE | FV_FUNC_TYPE | FV_STRUCT_TYPE)) != 0) {
        return sizeof(void *);
    }
    return (type & NT_CMPLX) ? 2 * sizeof(double) : sizeof(double);
}

/* The caller gets its own reference to waves and data folders that come back. */
static void hold_returned(int type, void *field)
{
    if (type & WAVE_TYPE) {
        waveHndl w;
        memcpy(&w, field, sizeof w);
        if (w != NULL) {
            HoldWave(w);
        }
    } else if (type & DATAFOLDER_TYPE) {
        DataFolderHandle df;
        memcpy(&df, field, sizeof df);
        if (df != NULL) {
            HoldDataFolder(df);
        }
    }
}

int CallFunction(struct FunctionInfo *fip, void *parameters, void *resultPtr)
{
    const struct sim_function *f;
    char *block = (char *)parameters;
    size_t offset = 0;
    int i, rc, aborted;

    if (!sim_main_thread()) {
        sim_fatal("CallFunction", "the simulated user functions are not threadsafe");
    }
    if (fip->compilationIndex != compilation_index || fip->functionID < 1 ||
        (size_t)fip->functionID > num_functions) {
        return BAD_COMPILATION_INDEX;
    }
    f = &functions[fip->functionID - 1];
    if (f->return_type != FV_NORETURN_TYPE) {
        if (resultPtr == NULL) {
            sim_fatal("CallFunction", "no result pointer for a function with a result");
        }
        if (f->return_type == NT_FP64) {
            *(double *)resultPtr = NAN; /* a function without return statement returns NaN */
        } else if (f->return_type == (NT_FP64 | NT_CMPLX)) {
            ((double *)resultPtr)[0] = NAN;
            ((double *)resultPtr)[1] = NAN;
        } else {
            *(void **)resultPtr = NULL;
        }
    }
    /* Only the required parameters are in the structure (the optional ones are not passed). */
    for (i = 0; i < f->num_required; i++) {
        if (f->param_types[i] == HSTRING_TYPE) {
            Handle h;
            memcpy(&h, block + offset, sizeof h);
            if (h != NULL) {
                sim_check_handle(h, "CallFunction (string parameter)");
            }
        }
        offset += field_size(f->param_types[i]);
    }

    rc = f->fn(parameters, f->return_type == FV_NORETURN_TYPE ? NULL : resultPtr);
    aborted = sim_aborting();

    offset = 0;
    for (i = 0; i < f->num_required; i++) {
        const int type = f->param_types[i];

        if (type == HSTRING_TYPE) {
            /* The function owned and disposed the handle; the field is cleared. */
            memset(block + offset, 0, sizeof(Handle));
        } else if ((type & FV_REF_TYPE) && rc == 0 && !aborted) {
            hold_returned(type, block + offset);
        }
        offset += field_size(type);
    }
    if (rc == 0 && !aborted && f->return_type != FV_NORETURN_TYPE) {
        hold_returned(f->return_type, resultPtr);
    }
    return rc;
}
