/*
 * zeromq_mex_security.c: the MEX commands for security: CURVE keys and certificate files,
 * authentication rules, the allow list of remote calls and role socket options. The m-files
 * (zeromq_curve_keypair.m, zeromq_auth_allow.m, ...) are the documented interface.
 */

#include "zeromq_mex.h"

/* Z85 key text returned by the library (41 bytes with the NUL) as a char row. */
static mxArray *sec_key(const char key[41])
{
    return mxCreateString(key);
}

/* The one or two outputs of the commands that give a key pair. */
static void sec_key_pair(int nlhs, mxArray *plhs[], const char pub[41], const char sec[41])
{
    plhs[0] = sec_key(pub);
    if (nlhs > 1) {
        plhs[1] = sec_key(sec);
    }
}

MEX_COMMAND(cmd_curve_keypair)
{
    char pub[41], sec[41];
    (void)prhs;
    mex_nargs(nrhs, 0, 0, "[public_key, secret_key] = zeromq_curve_keypair()");
    mex_check(zeromq_curve_keypair(pub, sec));
    sec_key_pair(nlhs, plhs, pub, sec);
}

MEX_COMMAND(cmd_curve_public)
{
    char pub[41];
    size_t len;
    const char *secret;
    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "public_key = zeromq_curve_public(secret_key)");
    secret = mex_text_arg(prhs[0], "secret_key", 0, &len);
    mex_check(zeromq_curve_public(secret, len, pub));
    plhs[0] = sec_key(pub);
}

MEX_COMMAND(cmd_curve_cert_create)
{
    char pub[41], sec[41];
    size_t dir_len, name_len;
    const char *dir, *name;
    mex_nargs(nrhs, 2, 2, "[public_key, secret_key] = zeromq_curve_cert_create(folder, name)");
    dir = mex_text_arg(prhs[0], "folder", 0, &dir_len);
    name = mex_text_arg(prhs[1], "name", 0, &name_len);
    mex_check(zeromq_curve_cert_create(dir, dir_len, name, name_len, pub, sec));
    sec_key_pair(nlhs, plhs, pub, sec);
}

MEX_COMMAND(cmd_curve_cert_read)
{
    char pub[41], sec[41];
    size_t len;
    const char *path;
    mex_nargs(nrhs, 1, 1, "[public_key, secret_key] = zeromq_curve_cert_read(file)");
    path = mex_text_arg(prhs[0], "file", 0, &len);
    mex_check(zeromq_curve_cert_read(path, len, pub, sec, NULL));
    sec_key_pair(nlhs, plhs, pub, sec);
}

MEX_COMMAND(cmd_curve_cert_write)
{
    size_t path_len, pub_len, sec_len = 0;
    const char *path, *pub, *sec = "";
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 2, 3, "zeromq_curve_cert_write(file, public_key[, secret_key])");
    path = mex_text_arg(prhs[0], "file", 0, &path_len);
    pub = mex_text_arg(prhs[1], "public_key", 0, &pub_len);
    if (nrhs > 2) {
        sec = mex_text_arg(prhs[2], "secret_key", 0, &sec_len);
    }
    mex_check(zeromq_curve_cert_write(path, path_len, pub, pub_len, sec, sec_len));
}

MEX_COMMAND(cmd_auth_allow)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_auth_allow(address)", "address", zeromq_auth_allow);
}

MEX_COMMAND(cmd_auth_deny)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_auth_deny(address)", "address", zeromq_auth_deny);
}

MEX_COMMAND(cmd_auth_allow_key)
{
    (void)nlhs; (void)plhs;
    mex_text_command(nrhs, prhs, "zeromq_auth_allow_key(public_key)", "public_key",
                     zeromq_auth_allow_key);
}

MEX_COMMAND(cmd_auth_allow_keys_from)
{
    size_t count = 0, len;
    const char *dir;
    (void)nlhs;
    mex_nargs(nrhs, 1, 1, "count = zeromq_auth_allow_keys_from(folder)");
    dir = mex_text_arg(prhs[0], "folder", 0, &len);
    mex_check(zeromq_auth_allow_keys_from(dir, len, &count));
    plhs[0] = mxCreateDoubleScalar((double)count);
}

MEX_COMMAND(cmd_auth_reset)
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_auth_reset()");
    mex_check(zeromq_auth_reset());
}

MEX_COMMAND(cmd_handler_allow)
{
    size_t i, len;
    (void)nlhs; (void)plhs;
    if (nrhs == 1 && mxIsCell(prhs[0])) {
        for (i = 0; i < mxGetNumberOfElements(prhs[0]); i++) {
            const char *s = mex_text_arg(mxGetCell(prhs[0], (mwIndex)i), "each name", 0, &len);
            mex_check(zeromq_handler_allow(s, len));
        }
        return;
    }
    mex_text_command(nrhs, prhs, "zeromq_handler_allow(name) or zeromq_handler_allow({names})",
                     "name", zeromq_handler_allow);
}

MEX_COMMAND(cmd_handler_allow_reset)
{
    (void)nlhs; (void)plhs; (void)prhs;
    mex_nargs(nrhs, 0, 0, "zeromq_handler_allow_reset()");
    mex_check(zeromq_handler_allow_reset());
}

/* 'role_set_option', role, option, value: options by name or number, values as for
   zeromq_socket_set_option. */
MEX_COMMAND(cmd_role_set_option)
{
    int32_t role, option, kind = 0;
    int64_t number;
    size_t len = 0;
    const void *value;
    (void)nlhs; (void)plhs;
    mex_nargs(nrhs, 3, 3, "zeromq_role_set_option(role, option, value)");
    role = mex_role_arg(prhs[0]);
    option = mex_option_arg(prhs[1], &kind);
    value = mex_option_value(prhs[2], kind, &number, &len);
    mex_check(zeromq_role_set_option(role, option, value, len));
}
