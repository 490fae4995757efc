#pragma TextEncoding="UTF-8"
#pragma rtGlobals=3 // Use modern global access method and strict wave access.
#pragma IgorVersion=8.00

// ZeroMQ XOP companion procedures: constants for the XOP functions and a few helper functions
// that remote clients can call with CallFunction messages.
//
// The constants below are generated from host-glue/igor/functions.json; edit that file and run
// generate.py instead of changing them here.

// ---- BEGIN GENERATED CONSTANTS (generate.py, functions.json): do not edit ----

// Flags for zeromq_set(), can be combined with |
Constant ZeroMQ_SET_FLAGS_DEFAULT        = 0x1 // Default settings: no debug output, busy-waiting receive, no logging, no IPv6.
Constant ZeroMQ_SET_FLAGS_DEBUG          = 0x2 // Debug output to the history.
Constant ZeroMQ_SET_FLAGS_IPV6           = 0x4 // IPv6 support on all sockets.
Constant ZeroMQ_SET_FLAGS_NOBUSYWAITRECV = 0x8 // Receive functions return at once when nothing is pending.
Constant ZeroMQ_SET_FLAGS_LOGGING        = 0x10 // Log incoming and outgoing messages (JSONL file).

// Default filter and period of the heartbeat messages the publisher sends
// (zeromq_set_heartbeat changes them; a period of 0 turns the heartbeat off)
StrConstant ZeroMQ_HEARTBEAT = "heartbeat"
Constant ZeroMQ_HEARTBEAT_PERIOD_MS = 5000

// Longest subscriber filter in bytes (zeromq_sub_add_filter)
Constant ZeroMQ_MAX_FILTER_LENGTH = 1024

// Error codes of the XOP functions (GetRTError)
Constant ZeroMQ_UNKNOWN_SET_FLAG          = 10003
Constant ZeroMQ_INTERNAL_ERROR            = 10004
Constant ZeroMQ_INVALID_ARG               = 10005
Constant ZeroMQ_HANDLER_ALREADY_RUNNING   = 10006
Constant ZeroMQ_HANDLER_NO_CONNECTION     = 10007
Constant ZeroMQ_MISSING_PROCEDURE_FILES   = 10008
Constant ZeroMQ_INVALID_MESSAGE_FORMAT    = 10009
Constant ZeroMQ_INVALID_LOGGING_TEMPLATE  = 10010
Constant ZeroMQ_MESSAGE_FILTER_DUPLICATED = 10011
Constant ZeroMQ_MESSAGE_FILTER_MISSING    = 10012
Constant ZeroMQ_MESSAGE_INVALID_TYPE      = 10013
Constant ZeroMQ_TIMEOUT                   = 10014
Constant ZeroMQ_CLOSED                    = 10015
Constant ZeroMQ_FILTER_TOO_LONG           = 10016
Constant ZeroMQ_INVALID_KEY               = 10040
Constant ZeroMQ_INVALID_ADDRESS           = 10041
Constant ZeroMQ_INVALID_CERTIFICATE       = 10042

// Flags for zeromq_set(), can be combined with |
Constant ZMQ_SET_FLAGS_DEFAULT        = 0x1 // Default settings: no debug output, busy-waiting receive, no logging, no IPv6.
Constant ZMQ_SET_FLAGS_DEBUG          = 0x2 // Debug output to the history.
Constant ZMQ_SET_FLAGS_IPV6           = 0x4 // IPv6 support on all sockets.
Constant ZMQ_SET_FLAGS_NOBUSYWAITRECV = 0x8 // Receive functions return at once when nothing is pending.
Constant ZMQ_SET_FLAGS_LOGGING        = 0x10 // Log incoming and outgoing messages (JSONL file).

// Default filter and period of the heartbeat messages the publisher sends
// (zeromq_set_heartbeat changes them; a period of 0 turns the heartbeat off)
StrConstant ZMQ_HEARTBEAT = "heartbeat"
Constant ZMQ_HEARTBEAT_PERIOD_MS = 5000

// Longest subscriber filter in bytes (zeromq_sub_add_filter)
Constant ZMQ_MAX_FILTER_LENGTH = 1024

// Error codes of the XOP functions (GetRTError)
Constant ZMQ_UNKNOWN_SET_FLAG          = 10003
Constant ZMQ_INTERNAL_ERROR            = 10004
Constant ZMQ_INVALID_ARG               = 10005
Constant ZMQ_HANDLER_ALREADY_RUNNING   = 10006
Constant ZMQ_HANDLER_NO_CONNECTION     = 10007
Constant ZMQ_MISSING_PROCEDURE_FILES   = 10008
Constant ZMQ_INVALID_MESSAGE_FORMAT    = 10009
Constant ZMQ_INVALID_LOGGING_TEMPLATE  = 10010
Constant ZMQ_MESSAGE_FILTER_DUPLICATED = 10011
Constant ZMQ_MESSAGE_FILTER_MISSING    = 10012
Constant ZMQ_MESSAGE_INVALID_TYPE      = 10013
Constant ZMQ_TIMEOUT                   = 10014
Constant ZMQ_CLOSED                    = 10015
Constant ZMQ_FILTER_TOO_LONG           = 10016
Constant ZMQ_INVALID_KEY               = 10040
Constant ZMQ_INVALID_ADDRESS           = 10041
Constant ZMQ_INVALID_CERTIFICATE       = 10042

// errorCode.value of CallFunction replies
Constant REQ_SUCCESS                  = 0
Constant REQ_UNKNOWN_ERROR            = 1
Constant REQ_INVALID_JSON_OBJECT      = 3
Constant REQ_INVALID_VERSION          = 4
Constant REQ_INVALID_OPERATION        = 5
Constant REQ_INVALID_OPERATION_FORMAT = 6
Constant REQ_INVALID_MESSAGEID        = 7
Constant REQ_OUT_OF_MEMORY            = 8
Constant REQ_PROC_NOT_COMPILED        = 100
Constant REQ_NON_EXISTING_FUNCTION    = 101
Constant REQ_TOO_FEW_FUNCTION_PARAMS  = 102
Constant REQ_TOO_MANY_FUNCTION_PARAMS = 103
Constant REQ_UNSUPPORTED_FUNC_SIG     = 104
Constant REQ_UNSUPPORTED_FUNC_RET     = 105
Constant REQ_INVALID_PARAM_FORMAT     = 106
Constant REQ_FUNCTION_ABORTED         = 107

// ---- END GENERATED CONSTANTS ----

// Helper functions for remote callers

// Returns 1 if a wave exists at the given path (absolute or relative to the current data
// folder), 0 otherwise.
Function ZeroMQ_WaveExists(string pathToWave)

	WAVE/Z wv = $pathToWave
	return WaveExists(wv)
End

// Returns the wave at the given path, or a null wave reference if there is none.
Function/WAVE ZeroMQ_GetWave(string pathToWave)

	WAVE/Z wv = $pathToWave
	return wv
End

// Stores a wave sent by a remote client (a WAVE parameter arrives as a free wave) at the given
// path, replacing a wave of that name; returns 1 on success, 0 when the path is invalid.
Function ZeroMQ_StoreWave(WAVE wv, string pathToWave)

	if(strlen(pathToWave) == 0)
		return 0
	endif
	Duplicate/O wv, $pathToWave
	return 1
End

// Returns 1 if the data folder exists, 0 otherwise.
Function ZeroMQ_DataFolderExists(string pathToDataFolder)

	return DataFolderExists(pathToDataFolder)
End

// Returns the semicolon-separated list of functions whose names match matchStr.
Function/S ZeroMQ_FunctionList(string matchStr)

	return FunctionList(matchStr, ";", "")
End

// Returns Igor's FunctionInfo keyword list for the named function.
Function/S ZeroMQ_FunctionInfo(string functionNameStr)

	return FunctionInfo(functionNameStr)
End

// Shows the given help topic in Igor's help browser.
Function ZeroMQ_ShowHelp(string topic)

	DisplayHelpTopic topic
End
