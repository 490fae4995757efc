function zeromq_set(varargin)
%ZEROMQ_SET Change settings of the library.
%   zeromq_set(flags)
%
%   flags is a number (a sum of the values below), a name, names joined by '|' or a
%   cell array of names and numbers:
%     1  'DEFAULT'         debug off, busy-waiting receive on, logging off, IPv6 off
%     2  'DEBUG'           print debug output
%     4  'IPV6'            allow IPv6 endpoints
%     8  'NOBUSYWAITRECV'  receive functions return at once when nothing is pending
%    16  'LOGGING'         log messages to a JSONL file
%   Example: zeromq_set('NOBUSYWAITRECV'), zeromq_set({'DEBUG', 'LOGGING'}).
%   A value without any known flag raises zeromq:UNKNOWN_SET_FLAG.
%
%   Errors are raised with the identifiers zeromq:<NAME> (for example
%   zeromq:INVALID_ARG); see also the Contents of this folder.
zeromq_mex('set', varargin{:});
end
